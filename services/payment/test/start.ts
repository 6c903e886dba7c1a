import { loadConfig } from '@shop/shared';
import { startTestService, testTrust, type TestServiceOptions } from '@shop/testkit';
import { paymentConfigSchema } from '../src/config.ts';
import { buildPayment, type PaymentWiringOptions } from '../src/wiring.ts';

export interface PaymentTestOptions extends TestServiceOptions {
  /** The simulated provider configured by `PAYMENT_*` in `env` unless given. */
  provider?: PaymentWiringOptions['provider'];
}

/**
 * A real payment service (PostgreSQL, RabbitMQ, outbox relay, order.created consumer)
 * in-process, named after `options.suite`, trusting `options.keys` or a test issuer.
 */
export async function startPaymentForTest(options: PaymentTestOptions) {
  const trust = await testTrust(options);
  const config = loadConfig(paymentConfigSchema, { ...process.env, ...options.env });
  const payment = await startTestService('payment', options, (wiring, logger) =>
    buildPayment(config, logger, { ...wiring, keys: trust.keys, provider: options.provider }),
  );
  return { ...payment, ...trust, config };
}

export type StartedPayment = Awaited<ReturnType<typeof startPaymentForTest>>;

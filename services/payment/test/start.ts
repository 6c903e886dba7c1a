import { loadConfig } from '@shop/shared';
import { startTestService, testTrust, type TestServiceOptions } from '@shop/testkit';
import { SERVICE_TOKEN } from '../../auth/test/start.ts';
import { paymentConfigSchema } from '../src/config.ts';
import { buildPayment, type PaymentWiringOptions } from '../src/wiring.ts';

export interface PaymentTestOptions extends TestServiceOptions {
  /** The simulated provider configured by `PAYMENT_*` in `env` unless given. */
  provider?: PaymentWiringOptions['provider'];
  /** Where its Bot API calls go (a fake Telegram); the global `fetch` unless given. */
  telegramFetch?: PaymentWiringOptions['telegramFetch'];
}

/**
 * A real payment service (PostgreSQL, RabbitMQ, outbox relay, consumer, Stars refunds when
 * `env` has TELEGRAM_BOT_TOKEN) in-process, named after `options.suite`, trusting `options.keys`
 * or a test issuer, and the bot's service token of the tests' auth (`SERVICE_TOKEN`).
 */
export async function startPaymentForTest(options: PaymentTestOptions) {
  const trust = await testTrust(options);
  const config = loadConfig(paymentConfigSchema, {
    ...process.env,
    BOT_SERVICE_TOKEN: SERVICE_TOKEN,
    ...options.env,
  });
  const payment = await startTestService('payment', options, (wiring, logger) =>
    buildPayment(config, logger, {
      ...wiring,
      keys: trust.keys,
      provider: options.provider,
      telegramFetch: options.telegramFetch,
    }),
  );
  return { ...payment, ...trust, config };
}

export type StartedPayment = Awaited<ReturnType<typeof startPaymentForTest>>;

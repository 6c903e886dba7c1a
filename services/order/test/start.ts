import { loadConfig } from '@shop/shared';
import { startTestService, testTrust, type TestServiceOptions } from '@shop/testkit';
import { orderConfigSchema } from '../src/config.ts';
import { buildOrder } from '../src/wiring.ts';

/**
 * A real order service (PostgreSQL, RabbitMQ, outbox relay, stock and payment consumers, expiry worker) in-process, named
 * after `options.suite`, trusting `options.keys` or a test issuer (`issuer`, `user()`). Its
 * catalog is `CATALOG_URL` in `options.env`.
 */
export async function startOrderForTest(options: TestServiceOptions & { now?: () => Date }) {
  const trust = await testTrust(options);
  const config = loadConfig(orderConfigSchema, {
    ...process.env,
    CATALOG_TIMEOUT_MS: '1000',
    ...options.env,
  });
  const order = await startTestService('order', options, (wiring, logger) =>
    buildOrder(config, logger, { ...wiring, keys: trust.keys, now: options.now }),
  );
  return { ...order, ...trust, config };
}

export type StartedOrder = Awaited<ReturnType<typeof startOrderForTest>>;

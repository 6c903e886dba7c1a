import { loadConfig } from '@shop/shared';
import { startTestService, testTrust, type TestServiceOptions } from '@shop/testkit';
import { notificationConfigSchema } from '../src/config.ts';
import { buildNotification } from '../src/wiring.ts';

/** The bot token every test notification sends with (to a fake Bot API). */
export const BOT_TOKEN = '123456:test-token';

/**
 * A real notification service (PostgreSQL, RabbitMQ, Redis, its consumers and sender)
 * in-process, named after `options.suite`, with short retries and polls, sending to the Bot
 * API at `botApiRoot` (a fake one: fake-bot-api.ts, or the sandbox), never Telegram's; trusting
 * `options.keys` or a test issuer (`issuer`, `user()`).
 */
export async function startNotificationForTest(options: TestServiceOptions & { botApiRoot: string }) {
  const trust = await testTrust(options);
  const config = loadConfig(notificationConfigSchema, {
    ...process.env,
    TELEGRAM_API_ROOT: options.botApiRoot,
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_MAX_ATTEMPTS: '3',
    ...options.env,
  });
  const notification = await startTestService(
    'notification',
    { retryDelaysMs: [100, 200], ...options },
    (wiring, logger) =>
      buildNotification(config, logger, {
        ...wiring,
        keys: trust.keys,
        retryBaseDelayMs: 50,
        pollIntervalMs: 100,
        recoveryIntervalMs: 500,
        progressIntervalMs: 200,
      }),
  );
  return { ...notification, ...trust, config };
}

export type StartedNotification = Awaited<ReturnType<typeof startNotificationForTest>>;

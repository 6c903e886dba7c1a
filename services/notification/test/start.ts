import { loadConfig } from '@shop/shared';
import { startTestService, type TestServiceOptions } from '@shop/testkit';
import { notificationConfigSchema } from '../src/config.ts';
import { buildNotification } from '../src/wiring.ts';

/** The bot token every test notification sends with (to a fake Bot API). */
export const BOT_TOKEN = '123456:test-token';

/**
 * A real notification service (PostgreSQL, RabbitMQ, Redis, its consumers and sender)
 * in-process, named after `options.suite`, with short retries and polls, sending to the Bot
 * API at `botApiRoot` (a fake one: fake-bot-api.ts), never Telegram's.
 */
export async function startNotificationForTest(
  options: Omit<TestServiceOptions, 'keys' | 'issuer'> & { botApiRoot: string },
) {
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
      buildNotification(config, logger, { ...wiring, retryBaseDelayMs: 50, pollIntervalMs: 100 }),
  );
  return { ...notification, config };
}

export type StartedNotification = Awaited<ReturnType<typeof startNotificationForTest>>;

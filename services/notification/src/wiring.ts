import {
  connectBroker,
  connectPostgres,
  connectRedis,
  createAuthenticator,
  createInvoicePhotoCheck,
  createServiceKit,
  type Logger,
  type ServiceWiringOptions,
} from '@shop/shared';
import { createApp } from './app.ts';
import type { NotificationConfig } from './config.ts';
import { entities } from './db/entities.ts';
import { createTelegramClient } from './telegram/client.ts';
import { createSharedRateLimiter } from './telegram/shared-rate-limiter.ts';
import { startAnnouncementProgress } from './workers/announcement-progress.ts';
import { startEventConsumers } from './workers/consumers.ts';
import { createSender } from './workers/sender.ts';

export interface NotificationWiringOptions extends ServiceWiringOptions {
  /** First backoff after a Telegram 5xx (default 500 ms); tests shorten it. */
  retryBaseDelayMs?: number;
  /** Sender's fallback poll (default 1 s). */
  pollIntervalMs?: number;
  /** How often the sender looks for claims abandoned by a dead process (default 30 s). */
  recoveryIntervalMs?: number;
  /** How often an announcing admin's progress message is brought up to date (default 3 s). */
  progressIntervalMs?: number;
}

/**
 * Connects notification to PostgreSQL, RabbitMQ and Redis, starts its consumers (chat links,
 * order summaries, the order's changes, payment news), the sender and the announcements'
 * progress reports, and builds the app; the caller serves it and owns shutdown.
 */
export async function buildNotification(
  config: NotificationConfig,
  logger: Logger,
  options: NotificationWiringOptions = {},
) {
  const kit = createServiceKit({ service: 'notification', config, logger, options });
  const orm = await connectPostgres(kit, {
    entities,
    migrations: new URL('./db/migrations', import.meta.url),
    queryTimeoutMs: config.NOTIFICATION_QUERY_TIMEOUT_MS,
  });
  const broker = await connectBroker(kit);
  // Telegram's limit is per bot: every replica paces its sends through one schedule in Redis.
  // Without Redis each replica paces alone: degraded, still sending.
  const redis = await connectRedis(kit, {
    purpose: 'pace',
    // A pace command slower than this falls back to pacing in the process (Redis is local and fast).
    timeoutMs: 250,
    probeIntervalMs: 1_000,
    critical: false,
    downMessage: 'redis unavailable or slow; pacing Telegram sends in this process alone until it answers',
    upMessage: 'redis is back; Telegram sends paced with the other replicas again',
  });
  const botId = config.TELEGRAM_BOT_TOKEN.split(':')[0] ?? '';
  const client = createTelegramClient({
    apiRoot: config.TELEGRAM_API_ROOT,
    token: config.TELEGRAM_BOT_TOKEN,
    limiter: createSharedRateLimiter({
      redis: redis.client,
      guard: redis.guard,
      key: `${redis.keyPrefix}telegram-pace:${botId}`,
      perSecond: config.TELEGRAM_MAX_MESSAGES_PER_SECOND,
    }),
    logger,
    timeoutMs: config.TELEGRAM_TIMEOUT_MS,
    maxAttempts: config.TELEGRAM_MAX_ATTEMPTS,
    retryBaseDelayMs: options.retryBaseDelayMs,
  });
  const sender = createSender({
    orm,
    client,
    logger,
    maxWaitMs: config.NOTIFICATION_MAX_WAIT_SECONDS * 1_000,
    pollIntervalMs: options.pollIntervalMs,
    recoveryIntervalMs: options.recoveryIntervalMs,
    invoices: {
      providerToken: config.TELEGRAM_PAYMENT_PROVIDER_TOKEN,
      publicCatalogUrl: config.PUBLIC_CATALOG_URL,
    },
    checkInvoicePhoto: createInvoicePhotoCheck({ logger }),
  });
  sender.start();
  kit.addCloser('sender', () => sender.stop());

  // Edits and the final count take turns at the same pace as the buyers' messages.
  startAnnouncementProgress(kit, { orm, client, intervalMs: options.progressIntervalMs ?? 3_000 });

  const consumers = await startEventConsumers(kit, { orm, broker, sender });

  const app = createApp({
    logger,
    readiness: kit.readiness,
    deps: { em: orm.em, wake: () => sender.wake() },
    authenticate: createAuthenticator(config, options.keys),
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  return { app, orm, broker, consumers, sender, closers: kit.closers };
}

import {
  checkDatabase,
  createBroker,
  createConsumer,
  closeRedis,
  createOrm,
  RedisGuard,
  withDeadline,
  type Closer,
  type ReadinessCheck,
} from '@shop/shared';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import type { NotificationConfig } from './config.ts';
import { entities } from './db/entities.ts';
import {
  orderCreatedBatchHandler,
  orderCreatedHandler,
  paymentOutcomeBatchHandler,
  paymentOutcomeHandler,
  userLinkedHandler,
} from './domain/handlers.ts';
import { createSender } from './domain/sender.ts';
import { createTelegramClient } from './telegram/client.ts';
import { createSharedRateLimiter } from './telegram/shared-rate-limiter.ts';

export interface NotificationWiringOptions {
  /** Defaults to `shop_notification`; tests pass a per-run name. */
  dbName?: string;
  /** Event exchange; `shop.events` unless a test isolates itself. */
  exchange?: string;
  /** Prefix of the consumer queues (`<prefix>.users`, ...); defaults to `notification`. */
  consumerPrefix?: string;
  retryDelaysMs?: readonly number[];
  /** First backoff after a Telegram 5xx (default 500 ms); tests shorten it. */
  retryBaseDelayMs?: number;
  /** Sender's fallback poll (default 1 s). */
  pollIntervalMs?: number;
  /** Prefix of the Redis keys (default `notification:`); tests isolate themselves with it. */
  redisKeyPrefix?: string;
}

/**
 * Every order brings one summary and one outcome: under load, messages waiting together share a
 * transaction (and its commit) instead of taking one each.
 */
const BATCH_SIZE = 16;
/**
 * How long a batch of order summaries waits for more. An outcome that carries its order's items
 * makes its own summary, so only an outcome without them waits for one.
 */
const SUMMARY_GATHER_MS = 100;
/** A pace command slower than this falls back to pacing in the process (Redis is local and fast). */
const REDIS_TIMEOUT_MS = 250;
const REDIS_PROBE_INTERVAL_MS = 1_000;

/**
 * Connects notification to PostgreSQL and RabbitMQ, starts its three consumers (chat links,
 * order summaries, payment outcomes) and the sender, and builds the app; the caller serves it
 * and owns shutdown.
 */
export async function buildNotification(
  config: NotificationConfig,
  logger: Logger,
  options: NotificationWiringOptions = {},
) {
  const orm = await createOrm({
    serverUrl: config.POSTGRES_URL,
    dbName: options.dbName ?? `${config.DATABASE_PREFIX}_notification`,
    pool: { max: config.DATABASE_POOL_MAX },
    entities,
    migrationsPath: new URL('./db/migrations', import.meta.url),
    logger,
  });
  // Telegram's limit is per bot: every replica paces its sends through one schedule in Redis.
  const redis = new Redis(config.REDIS_URL, {
    connectionName: 'notification-pace',
    lazyConnect: true,
    enableOfflineQueue: false,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
  });
  const paceLog = logger.child({ component: 'pace' });
  const guard = new RedisGuard(redis, {
    timeoutMs: REDIS_TIMEOUT_MS,
    probeIntervalMs: REDIS_PROBE_INTERVAL_MS,
    logger: paceLog,
    downMessage: 'redis unavailable or slow; pacing Telegram sends in this process alone until it answers',
    upMessage: 'redis is back; Telegram sends paced with the other replicas again',
  });
  // Connection errors repeat on every reconnect attempt; the guard logs one line per outage.
  redis.on('error', (error) => guard.fail(error));
  await withDeadline(redis.connect(), REDIS_TIMEOUT_MS * 4).catch((error: unknown) => guard.fail(error));
  const botId = config.TELEGRAM_BOT_TOKEN.split(':')[0] ?? '';
  const client = createTelegramClient({
    apiRoot: config.TELEGRAM_API_ROOT,
    token: config.TELEGRAM_BOT_TOKEN,
    limiter: createSharedRateLimiter({
      redis,
      guard,
      key: `${options.redisKeyPrefix ?? 'notification:'}telegram-pace:${botId}`,
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
  });
  sender.start();

  const broker = await createBroker({
    url: config.RABBITMQ_URL,
    logger,
    exchange: options.exchange,
    connectionName: 'notification',
  });
  // Queue names are also inbox keys: keep them stable across deploys.
  const prefix = options.consumerPrefix ?? 'notification';
  const deps = { logger: logger.child({ component: 'projections' }), wake: () => sender.wake() };
  const common = { broker, orm, logger, retryDelaysMs: options.retryDelaysMs };
  const consumers = [
    await createConsumer({
      ...common,
      name: `${prefix}.users`,
      routingKeys: ['user.telegram_linked'],
      handler: userLinkedHandler(deps),
    }),
    await createConsumer({
      ...common,
      name: `${prefix}.orders`,
      routingKeys: ['order.created'],
      handler: orderCreatedHandler(deps),
      batchHandler: orderCreatedBatchHandler(deps),
      batchSize: BATCH_SIZE,
      gatherMs: SUMMARY_GATHER_MS,
    }),
    await createConsumer({
      ...common,
      name: `${prefix}.payments`,
      routingKeys: ['payment.succeeded', 'payment.failed'],
      handler: paymentOutcomeHandler(deps),
      batchHandler: paymentOutcomeBatchHandler(deps),
      batchSize: BATCH_SIZE,
    }),
  ];

  const readiness: ReadinessCheck[] = [
    { name: 'postgres', check: () => checkDatabase(orm) },
    { name: 'rabbitmq', check: () => broker.check() },
    // Without Redis each replica paces alone: degraded, still sending.
    { name: 'redis', critical: false, check: () => withDeadline(redis.ping(), REDIS_TIMEOUT_MS) },
  ];
  const closers: Closer[] = [
    ...consumers.map((consumer) => ({
      name: `consumer ${consumer.topology.queue}`,
      close: () => consumer.stop(),
    })),
    { name: 'sender', close: () => sender.stop() },
    {
      name: 'redis',
      close: () => {
        guard.close();
        return closeRedis(redis);
      },
    },
    { name: 'rabbitmq', close: () => broker.close() },
    { name: 'postgres', close: () => orm.close() },
  ];
  const app = createApp({ logger, readiness, bodyLimitBytes: config.BODY_LIMIT_BYTES });
  return { app, orm, broker, consumers, sender, closers };
}

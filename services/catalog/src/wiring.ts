import {
  checkDatabase,
  createBroker,
  createConsumer,
  createOrm,
  closeRedis,
  RedisGuard,
  remoteJwks,
  withDeadline,
  type Closer,
  type Logger,
  type ReadinessCheck,
} from '@shop/shared';
import { Redis } from 'ioredis';
import { createApp } from './app.ts';
import { CacheVersions } from './cache/cache-versions.ts';
import { LocalCache } from './cache/local-cache.ts';
import { ResponseCache } from './cache/response-cache.ts';
import type { CatalogConfig } from './config.ts';
import { entities } from './db/entities.ts';
import { seedCatalog } from './db/seed.ts';
import { createCatalogReads } from './domain/catalog-reads.ts';
import { ensureCatalogState, readCacheVersion } from './domain/catalog-state.ts';
import type { CatalogDeps } from './domain/deps.ts';
import { applyStockEvents, ORDERS_CONSUMER, STOCK_EVENTS, stockHandler } from './domain/stock-from-orders.ts';

export interface CatalogWiringOptions {
  /** Defaults to `shop_catalog`; tests pass a per-run name. */
  dbName?: string;
  /** Defaults to `catalog:`; tests pass a per-run prefix. */
  keyPrefix?: string;
  /** Defaults to auth's JWKS at AUTH_URL; tests pass a local issuer's keys. */
  getKey?: CatalogDeps['getKey'];
  /** Event exchange; `shop.events` unless a test isolates itself. */
  exchange?: string;
  /** Defaults to `catalog.orders`; tests pass a per-run name. */
  consumerName?: string;
  retryDelaysMs?: readonly number[];
}

const PROBE_INTERVAL_MS = 500;
const REDIS_START_WAIT_MS = 1_000;
// Answers are a few KB: this bounds the in-process cache to tens of MB at worst.
const LOCAL_CACHE_MAX_ENTRIES = 10_000;
/** Stock events applied per transaction when they queue up (see createConsumer). */
const STOCK_BATCH_SIZE = 32;
/**
 * How long a stock batch waits for more events. No one waits on a stock count, and every order
 * sends two events here: a transaction each would cost the catalog and its database more than
 * the lookups the orders make (docs/decisions/batched-consumers.md).
 */
const STOCK_GATHER_MS = 50;

function readyWithin(client: Redis, ms: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    client.once('ready', onReady);
  });
}

// Fail fast while Redis is away (no offline queue, short timeouts) and keep reconnecting quickly,
// so a dead or slow Redis costs a request nothing and caching resumes soon after it is back.
// The 50 ms deadline itself is the guard's (see withDeadline); commandTimeout is only a backstop
// so that no command waits for ever.
const redisOptions = (config: CatalogConfig) => ({
  enableOfflineQueue: false,
  commandTimeout: Math.max(1_000, config.CATALOG_CACHE_TIMEOUT_MS * 10),
  connectTimeout: 1_000,
  maxRetriesPerRequest: 1,
  retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
});

/**
 * Connects the catalog to PostgreSQL, Redis and RabbitMQ, starts the consumer that takes paid
 * orders out of stock, and builds the app; the caller serves it and owns shutdown. Redis and
 * RabbitMQ may be down at start: reads are served from PostgreSQL and events wait in the queue.
 */
export async function buildCatalog(
  config: CatalogConfig,
  logger: Logger,
  options: CatalogWiringOptions = {},
) {
  const orm = await createOrm({
    serverUrl: config.POSTGRES_URL,
    dbName: options.dbName ?? `${config.DATABASE_PREFIX}_catalog`,
    pool: { max: config.DATABASE_POOL_MAX },
    entities,
    migrationsPath: new URL('./db/migrations', import.meta.url),
    logger,
  });
  const { epoch } = await ensureCatalogState(orm.em.fork());
  await seedCatalog(orm.em.fork(), logger);

  // Redis being down at start is fine: the catalog serves from PostgreSQL until it comes up.
  const redis = new Redis(config.REDIS_URL, { ...redisOptions(config), connectionName: 'catalog-cache' });
  const subscriber = new Redis(config.REDIS_URL, {
    ...redisOptions(config),
    connectionName: 'catalog-invalidations',
  });
  const cacheLog = logger.child({ component: 'cache' });
  const guard = new RedisGuard(redis, {
    timeoutMs: config.CATALOG_CACHE_TIMEOUT_MS,
    probeIntervalMs: PROBE_INTERVAL_MS,
    logger: cacheLog,
    downMessage: 'redis cache unavailable or slow; serving from PostgreSQL until it answers again',
    upMessage: 'redis cache is back; caching resumed',
  });
  // Connection errors repeat on every reconnect attempt; the guard logs one line per outage.
  redis.on('error', (error) => guard.fail(error));
  subscriber.on('error', (error) => guard.fail(error));

  const prefix = `${options.keyPrefix ?? 'catalog:'}${epoch}:`;
  const versions = new CacheVersions({
    redis,
    subscriber,
    guard,
    versionKey: `${prefix}version`,
    channel: `${prefix}invalidate`,
    readDatabaseVersion: () => readCacheVersion(orm.em.fork()),
    syncIntervalMs: config.CATALOG_VERSION_SYNC_MS,
    logger: cacheLog,
  });
  const local = new LocalCache({
    ttlMs: config.CATALOG_LOCAL_CACHE_TTL_MS,
    maxEntries: LOCAL_CACHE_MAX_ENTRIES,
  });
  const cache = new ResponseCache({
    ttlSeconds: config.CATALOG_CACHE_TTL_SECONDS,
    keyPrefix: `${prefix}v`,
    guard,
    versions,
    local,
  });
  versions.start();
  // Give Redis a moment so the first requests are cached; past that the guard treats it as down.
  if (!(await readyWithin(redis, REDIS_START_WAIT_MS))) guard.fail(new Error('not connected at start'));

  const deps: CatalogDeps = {
    em: orm.em,
    reads: createCatalogReads(orm.em),
    cache,
    invalidate: (version) => versions.publish(version),
    getKey: options.getKey ?? remoteJwks(config.AUTH_URL),
    tokens: { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
  };

  const broker = await createBroker({
    url: config.RABBITMQ_URL,
    logger,
    exchange: options.exchange,
    connectionName: 'catalog',
  });
  const stockDeps = { invalidate: deps.invalidate, logger: logger.child({ component: 'stock' }) };
  const consumer = await createConsumer({
    broker,
    orm,
    name: options.consumerName ?? ORDERS_CONSUMER,
    routingKeys: STOCK_EVENTS,
    handler: stockHandler(stockDeps),
    batchHandler: applyStockEvents(stockDeps),
    // Every order sends one or two events here: a transaction each would cost the catalog's
    // database as much as the orders themselves.
    batchSize: STOCK_BATCH_SIZE,
    gatherMs: STOCK_GATHER_MS,
    logger,
    retryDelaysMs: options.retryDelaysMs,
  });

  const readiness: ReadinessCheck[] = [
    { name: 'postgres', check: () => checkDatabase(orm) },
    // Not critical: without Redis the catalog still answers, from PostgreSQL ("degraded").
    {
      name: 'redis',
      critical: false,
      check: () => withDeadline(redis.ping(), config.CATALOG_CACHE_TIMEOUT_MS),
    },
    // Not critical either: reads don't need the broker; paid orders wait in the queue meanwhile.
    { name: 'rabbitmq', critical: false, check: () => broker.check() },
  ];
  const closers: Closer[] = [
    // First: a handler in flight still needs PostgreSQL, and Redis for its invalidation.
    { name: 'order consumer', close: () => consumer.stop() },
    { name: 'rabbitmq', close: () => broker.close() },
    {
      name: 'redis',
      close: async () => {
        guard.close();
        versions.close();
        await Promise.all([closeRedis(redis), closeRedis(subscriber)]);
      },
    },
    { name: 'postgres', close: () => orm.close() },
  ];
  const { app, front } = createApp({ deps, logger, readiness, bodyLimitBytes: config.BODY_LIMIT_BYTES });
  return { app, front, deps, orm, redis, versions, broker, consumer, closers };
}

import {
  connectBroker,
  connectPostgres,
  connectRedis,
  createAuthenticator,
  createServiceKit,
  startOutboxRelay,
  type Logger,
  type ServiceWiringOptions,
} from '@shop/shared';
import { createApp } from './app.ts';
import { createCatalogCache } from './cache/catalog-cache.ts';
import type { CatalogConfig } from './config.ts';
import { entities } from './db/entities.ts';
import { seedCatalog } from './db/seed.ts';
import type { CatalogDeps } from './deps.ts';
import { createCatalogReads } from './store/catalog-reads.ts';
import { ensureCatalogState, readCacheVersion } from './store/catalog-state.ts';
import { startStockConsumer } from './workers/reservations.ts';

export type CatalogWiringOptions = ServiceWiringOptions;

/**
 * Connects the catalog to PostgreSQL, Redis and RabbitMQ, starts the consumer that reserves,
 * sells and releases orders' stock and the outbox relay that announces its reservations, and
 * builds the app; the caller serves it and owns shutdown. Redis and RabbitMQ may be down at
 * start: reads are served from PostgreSQL, and events wait in the queue and the outbox.
 */
export async function buildCatalog(
  config: CatalogConfig,
  logger: Logger,
  options: CatalogWiringOptions = {},
) {
  const kit = createServiceKit({ service: 'catalog', config, logger, options });
  const orm = await connectPostgres(kit, {
    entities,
    migrations: new URL('./db/migrations', import.meta.url),
  });
  const { epoch } = await ensureCatalogState(orm.em.fork());
  await seedCatalog(orm.em.fork(), logger);
  // Not critical: without Redis the catalog still answers, from PostgreSQL ("degraded").
  const redis = await connectRedis(kit, {
    purpose: 'cache',
    timeoutMs: config.CATALOG_CACHE_TIMEOUT_MS,
    probeIntervalMs: 500,
    critical: false,
    downMessage: 'redis cache unavailable or slow; serving from PostgreSQL until it answers again',
    upMessage: 'redis cache is back; caching resumed',
  });
  const { cache, versions } = createCatalogCache(kit, {
    redis,
    epoch,
    readDatabaseVersion: () => readCacheVersion(orm.em.fork()),
    ttlSeconds: config.CATALOG_CACHE_TTL_SECONDS,
    localTtlMs: config.CATALOG_LOCAL_CACHE_TTL_MS,
    syncIntervalMs: config.CATALOG_VERSION_SYNC_MS,
  });
  const deps: CatalogDeps = {
    em: orm.em,
    reads: createCatalogReads(orm.em),
    cache,
    invalidate: (version) => versions.publish(version),
  };

  // Not critical either: reads don't need the broker; orders wait in the queue meanwhile.
  const broker = await connectBroker(kit, { critical: false });
  startOutboxRelay(kit, { orm, broker });
  const consumer = await startStockConsumer(kit, {
    orm,
    broker,
    invalidate: deps.invalidate,
    lowStockThreshold: config.LOW_STOCK_THRESHOLD,
  });

  const { app, front } = createApp({
    deps,
    logger,
    readiness: kit.readiness,
    authenticate: createAuthenticator(config, options.keys),
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  return { app, front, deps, orm, redis: redis.client, versions, broker, consumer, closers: kit.closers };
}

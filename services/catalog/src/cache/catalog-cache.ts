import type { GuardedRedis, ServiceKit } from '@shop/shared';
import { CacheVersions } from './cache-versions.ts';
import { LocalCache } from './local-cache.ts';
import { ResponseCache } from './response-cache.ts';

export interface CatalogCacheOptions {
  redis: GuardedRedis;
  /** The database's cache epoch: keys of another database (or a rebuilt one) are never read. */
  epoch: string;
  /** The version PostgreSQL holds. */
  readDatabaseVersion: () => Promise<number>;
  ttlSeconds: number;
  localTtlMs: number;
  syncIntervalMs: number;
}

// Answers are a few KB: this bounds the in-process cache to tens of MB at worst.
const LOCAL_CACHE_MAX_ENTRIES = 10_000;

/**
 * The catalog's response cache (docs/decisions/catalog-cache.md): in-process answers in front of
 * Redis, versions kept current over pub/sub on a second connection. Shutdown stops the version
 * sync before Redis closes.
 */
export function createCatalogCache(kit: ServiceKit, options: CatalogCacheOptions) {
  const { redis, epoch } = options;
  const prefix = `${redis.keyPrefix}${epoch}:`;
  const versions = new CacheVersions({
    redis: redis.client,
    subscriber: redis.connection('invalidations'),
    guard: redis.guard,
    versionKey: `${prefix}version`,
    channel: `${prefix}invalidate`,
    readDatabaseVersion: options.readDatabaseVersion,
    syncIntervalMs: options.syncIntervalMs,
    logger: kit.logger.child({ component: 'cache' }),
  });
  const cache = new ResponseCache({
    ttlSeconds: options.ttlSeconds,
    keyPrefix: `${prefix}v`,
    guard: redis.guard,
    versions,
    local: new LocalCache({ ttlMs: options.localTtlMs, maxEntries: LOCAL_CACHE_MAX_ENTRIES }),
  });
  versions.start();
  kit.addCloser('cache versions', () => versions.close());
  return { cache, versions };
}

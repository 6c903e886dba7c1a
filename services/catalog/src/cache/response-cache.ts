import type { RedisGuard } from '@shop/shared';
import type { Redis } from 'ioredis';
import type { CacheVersions } from './cache-versions.ts';
import { decodeFromRedis, encodeForRedis, toCachedBody, type CachedBody } from './cached-body.ts';
import type { LocalCache } from './local-cache.ts';

export interface CacheResult {
  entry: CachedBody;
  hit: boolean;
}

export interface ResponseCacheOptions {
  /** 0 turns caching off: every read runs its loader (no single-flight either, so it measures the real miss path). */
  ttlSeconds: number;
  /** Prefix of data keys, ending in the epoch: `<prefix><version>:<key>`. */
  keyPrefix: string;
  guard: RedisGuard;
  versions: CacheVersions;
  local: LocalCache;
}

/**
 * Cache-aside for serialized response bodies: in-process cache, then Redis, then the loader
 * (PostgreSQL). Concurrent misses of one key share one load, and the flight lasts until the
 * answer is in Redis, so requests arriving in between join it instead of querying again.
 */
export class ResponseCache {
  readonly #o: ResponseCacheOptions;
  readonly #flights = new Map<string, Promise<CachedBody>>();

  constructor(options: ResponseCacheOptions) {
    this.#o = options;
    options.versions.onChange((version) => options.local.clear(version));
  }

  /** The in-process answer, when this replica can trust it right now: no await on the hottest path. */
  peek(key: string): CacheResult | undefined {
    const { ttlSeconds, versions, local } = this.#o;
    if (ttlSeconds === 0 || !versions.trusted) return undefined;
    const entry = local.get(versions.known, key);
    return entry && { entry, hit: true };
  }

  async get(key: string, load: () => Promise<unknown>): Promise<CacheResult> {
    const { ttlSeconds, guard, versions, local } = this.#o;
    if (ttlSeconds === 0) return { entry: toCachedBody(await load()), hit: false };

    const trusted = versions.trusted;
    const version = trusted ? versions.known : await versions.current();
    if (version === undefined) {
      // Redis is down: PostgreSQL answers, still one query per key at a time. `known` includes
      // this replica's own writes, so a flight never spans one of them.
      return this.#fly(`db:${versions.known}:${key}`, load, undefined);
    }
    if (trusted) {
      const cached = local.get(version, key);
      if (cached) return { entry: cached, hit: true };
    }
    const flightKey = `${version}:${key}`;
    const dataKey = `${this.#o.keyPrefix}${flightKey}`;
    if (!this.#flights.has(flightKey)) {
      const raw = await guard.run((redis) => redis.getBuffer(dataKey));
      const entry = raw ? decodeFromRedis(raw) : undefined;
      if (entry) {
        local.set(version, key, entry);
        return { entry, hit: true };
      }
    }
    return this.#fly(flightKey, load, { version, key, dataKey });
  }

  async #fly(
    flightKey: string,
    load: () => Promise<unknown>,
    store: { version: number; key: string; dataKey: string } | undefined,
  ): Promise<CacheResult> {
    let flight = this.#flights.get(flightKey);
    if (!flight) {
      flight = (async () => {
        const entry = toCachedBody(await load());
        if (store) {
          await this.#o.guard.run((redis: Redis) =>
            redis.set(store.dataKey, encodeForRedis(entry), 'EX', this.#o.ttlSeconds),
          );
          this.#o.local.set(store.version, store.key, entry);
        }
        return entry;
      })().finally(() => this.#flights.delete(flightKey));
      this.#flights.set(flightKey, flight);
    }
    return { entry: await flight, hit: false };
  }
}

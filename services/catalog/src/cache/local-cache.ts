import type { CachedBody } from './cached-body.ts';

export interface LocalCacheOptions {
  ttlMs: number;
  maxEntries: number;
}

/**
 * The in-process cache in front of Redis. It only ever holds answers of one cache version: a
 * new version (a write anywhere, learnt over pub/sub) empties it at once. The TTL is a safety
 * net for invalidations that could be missed without the subscriber noticing.
 */
export class LocalCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  #version = -1;
  #entries = new Map<string, { value: CachedBody; expiresAt: number }>();

  constructor({ ttlMs, maxEntries }: LocalCacheOptions) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  get(version: number, key: string): CachedBody | undefined {
    if (version !== this.#version) return undefined;
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > Date.now()) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  set(version: number, key: string, value: CachedBody): void {
    if (this.#ttlMs === 0) return;
    if (version !== this.#version) {
      // Only a newer version replaces the contents; a late answer for an older one is dropped.
      if (version < this.#version) return;
      this.clear(version);
    }
    if (this.#entries.size >= this.#maxEntries) {
      // Oldest insertion first: cheap, and hot keys come straight back from Redis.
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAt: Date.now() + this.#ttlMs });
  }

  clear(version = this.#version): void {
    this.#version = version;
    this.#entries = new Map();
  }
}

import type { Context } from 'hono';
import type { CacheResult, ResponseCache } from './response-cache.ts';
import { etagMatches } from './cached-body.ts';

export const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * A cached answer's own headers (the 200 adds `Content-Type`). Kept to what a client acts on:
 * every extra one costs each hit (and the client) a little, and hits are what this service is
 * mostly made of.
 */
export function cachedHeaders(etag: string, hit: boolean): Record<string, string> {
  // The body depends on Accept-Language when ?lang= is absent: shared caches must key on it.
  return { ETag: etag, 'X-Cache': hit ? 'HIT' : 'MISS', Vary: 'Accept-Language' };
}

/** Sends a cached body as the bytes it was stored as, or 304 when the client's ETag still matches. */
export function cachedResponse(c: Context, { entry, hit }: CacheResult): Response {
  const headers = cachedHeaders(entry.etag, hit);
  if (etagMatches(c.req.header('If-None-Match'), entry.etag)) return c.body(null, 304, headers);
  return c.body(entry.body, 200, { ...headers, 'Content-Type': JSON_TYPE });
}

/** Answers from the cache, synchronously when the in-process cache has it, else after `cache.get`. */
export function serveCached(
  c: Context,
  cache: ResponseCache,
  key: string,
  load: () => Promise<unknown>,
): Response | Promise<Response> {
  const local = cache.peek(key);
  if (local) return cachedResponse(c, local);
  return cache.get(key, load).then((result) => cachedResponse(c, result));
}

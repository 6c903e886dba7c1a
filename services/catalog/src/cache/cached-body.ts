import { hash } from 'node:crypto';

/** A response body serialized once, with its strong ETag; hits send these bytes as they are. */
export interface CachedBody {
  etag: string;
  body: Buffer<ArrayBuffer>;
}

const NEWLINE = 0x0a;

export function toCachedBody(value: unknown): CachedBody {
  const body = Buffer.from(JSON.stringify(value));
  return { body, etag: `"${hash('sha1', body, 'base64url')}"` };
}

/** Redis holds `<etag>\n<body>` in one string, so one GET returns both without a parse. */
export function encodeForRedis({ etag, body }: CachedBody): Buffer {
  return Buffer.concat([Buffer.from(`${etag}\n`, 'latin1'), body]);
}

/** Undefined for anything that is not what `encodeForRedis` wrote (treated as a miss). */
export function decodeFromRedis(raw: Buffer): CachedBody | undefined {
  const end = raw.indexOf(NEWLINE);
  if (end < 2 || raw[0] !== 0x22) return undefined;
  // ioredis types replies as Buffer<ArrayBufferLike>; a socket read is never a SharedArrayBuffer.
  return { etag: raw.toString('latin1', 0, end), body: raw.subarray(end + 1) as Buffer<ArrayBuffer> };
}

/** `If-None-Match` semantics (RFC 9110 13.1.2): weak comparison, a list of tags, or `*`. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

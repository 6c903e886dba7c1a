import { timingSafeEqual } from 'node:crypto';

/**
 * True when `given` (an `X-Service-Token` header, say) is the bot's shared secret
 * (BOT_SERVICE_TOKEN), compared in constant time; false when it is missing.
 */
export function isServiceToken(given: string | undefined, secret: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

import type { Redis } from 'ioredis';

export interface LoginThrottle {
  /** Reserves one attempt; returns seconds to wait instead when the account is locked. */
  begin(email: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
  failed(email: string): Promise<void>;
  succeeded(email: string): Promise<void>;
}

export interface ThrottleOptions {
  maxFailures: number;
  lockSeconds: number;
  keyPrefix: string;
  /** Upper bound of the exponential lock. */
  maxLockSeconds?: number;
}

// Attempts in flight count against the budget too, so 50 parallel guesses get at most
// `maxFailures` password checks, not 50.
const BEGIN = `
local now = tonumber(ARGV[1])
local locked = tonumber(redis.call('HGET', KEYS[1], 'lockedUntil') or '0')
if locked > now then return locked - now end
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
local pending = tonumber(redis.call('HGET', KEYS[1], 'pending') or '0')
if failures + pending >= tonumber(ARGV[2]) then return 1000 end
redis.call('HINCRBY', KEYS[1], 'pending', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 0`;

// From the max-th failure on, each failure locks the account twice as long as the last.
const FAIL = `
local now = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local pending = tonumber(redis.call('HGET', KEYS[1], 'pending') or '0')
if pending > 0 then redis.call('HINCRBY', KEYS[1], 'pending', -1) end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
if failures >= max then
  local lock = math.min(tonumber(ARGV[4]), tonumber(ARGV[5]) * 2 ^ (failures - max))
  redis.call('HSET', KEYS[1], 'lockedUntil', now + lock)
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return failures`;

/** Per-account login throttling in Redis, atomic under concurrency (Lua). */
export function createLoginThrottle(redis: Redis, options: ThrottleOptions): LoginThrottle {
  const maxLockMs = (options.maxLockSeconds ?? 3600) * 1000;
  const lockMs = options.lockSeconds * 1000;
  // The record outlives the longest lock, so a locked account cannot be unlocked by expiry.
  const ttlMs = maxLockMs + 15 * 60_000;
  const key = (email: string) => `${options.keyPrefix}login:${email}`;

  return {
    async begin(email) {
      const waitMs = (await redis.eval(
        BEGIN,
        1,
        key(email),
        Date.now(),
        options.maxFailures,
        ttlMs,
      )) as number;
      return waitMs > 0 ? { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) } : { allowed: true };
    },
    async failed(email) {
      await redis.eval(FAIL, 1, key(email), Date.now(), options.maxFailures, ttlMs, maxLockMs, lockMs);
    },
    async succeeded(email) {
      await redis.del(key(email));
    },
  };
}

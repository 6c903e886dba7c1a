import { ServiceUnavailableError } from '@shop/shared';
import type { Redis } from 'ioredis';
import { redisScript } from './redis-script.ts';

export interface FailureLockOptions {
  /** Failures before the first lock. */
  maxFailures: number;
  /** The first lock; each failure after it doubles the lock. */
  lockSeconds: number;
  /** Upper bound of the doubling lock. */
  maxLockSeconds: number;
}

/** An attempt let through; report exactly one outcome (later calls do nothing). */
export interface Attempt {
  failed(): Promise<void>;
  succeeded(): Promise<void>;
  /** The attempt could not be decided (a dependency failed): it counts for nothing. */
  release(): Promise<void>;
}

export type Admission = { allowed: true; attempt: Attempt } | { allowed: false; retryAfterSeconds: number };

/**
 * Failures counted per key in Redis, with a lock that doubles: after `maxFailures` failures the key
 * is locked for `lockSeconds`; once a lock has passed exactly one attempt goes through, and if it
 * fails too the next lock is twice as long (at most `maxLockSeconds`). A success clears the key.
 */
export interface FailureLock {
  /** For checks that cost work (bcrypt): reserves one attempt, or says how long to wait. */
  begin(key: string): Promise<Admission>;
  /** For checks that cost nothing (a constant-time compare): records the outcome in one step. */
  record(
    key: string,
    ok: boolean,
  ): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
}

// Every script reads the clock of Redis, so replicas whose clocks differ agree on every lock.
const PRELUDE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local max, lockMs, maxLockMs, ttlMs = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local function lockAfter(failures) return math.min(maxLockMs, lockMs * 2 ^ (failures - max)) end
local function fail()
  local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
  if failures >= max then redis.call('HSET', KEYS[1], 'lockedUntil', now + lockAfter(failures)) end
  redis.call('PEXPIRE', KEYS[1], ttlMs)
end
local lockedUntil = tonumber(redis.call('HGET', KEYS[1], 'lockedUntil') or '0')
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
`;

// Returns {waitMs, probeLock}. Attempts in flight count against the budget, so 50 parallel
// guesses get at most `max` checks. Once the lock has passed, the one attempt let through
// locks the key in advance for the next, doubled period: the others wait for that lock, and an
// attempt whose process dies leaves only that lock behind. A reservation older than ARGV[5] ms
// is one whose process died: it lapses.
const BEGIN = `${PRELUDE}
if lockedUntil > now then return {lockedUntil - now, 0} end
if failures >= max then
  local probeLock = now + lockAfter(failures + 1)
  redis.call('HSET', KEYS[1], 'lockedUntil', probeLock, 'pending', 1)
  redis.call('PEXPIRE', KEYS[1], ttlMs)
  return {0, probeLock}
end
local pending = tonumber(redis.call('HGET', KEYS[1], 'pending') or '0')
if pending > 0 and tonumber(redis.call('HGET', KEYS[1], 'pendingUntil') or '0') <= now then pending = 0 end
if failures + pending >= max then return {lockAfter(max), 0} end
redis.call('HSET', KEYS[1], 'pending', pending + 1, 'pendingUntil', now + tonumber(ARGV[5]))
redis.call('PEXPIRE', KEYS[1], ttlMs)
return {0, 0}`;

const unreserve = `
if tonumber(redis.call('HGET', KEYS[1], 'pending') or '0') > 0 then redis.call('HINCRBY', KEYS[1], 'pending', -1) end`;

const FAIL = `${PRELUDE}${unreserve}
fail()
return 0`;

// An undecided probe gives its turn back: the advance lock it set (ARGV[5]) is lifted.
const RELEASE = `${PRELUDE}${unreserve}
if ARGV[5] ~= '0' and lockedUntil == tonumber(ARGV[5]) then redis.call('HSET', KEYS[1], 'lockedUntil', 0) end
return 0`;

const RECORD = `${PRELUDE}
if lockedUntil > now then return lockedUntil - now end
if ARGV[5] == '0' then fail() end
return 0`;

// An attempt is a database read and one bcrypt check: one still unreported after this is dead.
const ATTEMPT_DEADLINE_MS = 30_000;

const waitSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Atomic under concurrency and shared by every replica (Lua scripts over one Redis). */
export function createFailureLock(redis: Redis, options: FailureLockOptions): FailureLock {
  const lockMs = options.lockSeconds * 1000;
  const maxLockMs = Math.max(lockMs, options.maxLockSeconds * 1000);
  // The record outlives the longest lock, so no lock ends by the record expiring.
  const ttlMs = maxLockMs + 15 * 60_000;
  const limits = [options.maxFailures, lockMs, maxLockMs, ttlMs];
  const scripts = {
    begin: redisScript(redis, BEGIN),
    fail: redisScript(redis, FAIL),
    release: redisScript(redis, RELEASE),
    record: redisScript(redis, RECORD),
  };
  const run = (script: keyof typeof scripts, key: string, ...args: (string | number)[]) =>
    scripts[script]([key], [...limits, ...args]);

  return {
    async begin(key) {
      const [waitMs, probeLock] = (await run('begin', key, ATTEMPT_DEADLINE_MS)) as [number, number];
      if (waitMs > 0) return { allowed: false, retryAfterSeconds: waitSeconds(waitMs) };
      let reported = false;
      const once = (report: () => Promise<unknown>) => async () => {
        if (reported) return;
        reported = true;
        await report();
      };
      return {
        allowed: true,
        attempt: {
          failed: once(() => run('fail', key)),
          succeeded: once(async () => {
            try {
              await redis.del(key);
            } catch (error) {
              throw new ServiceUnavailableError('redis', error);
            }
          }),
          release: once(() => run('release', key, probeLock)),
        },
      };
    },
    async record(key, ok) {
      const waitMs = (await run('record', key, ok ? 1 : 0)) as number;
      return waitMs > 0 ? { allowed: false, retryAfterSeconds: waitSeconds(waitMs) } : { allowed: true };
    },
  };
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisGuard } from '@shop/shared';
import type { Redis } from 'ioredis';
import { createRateLimiter, turnIntervalMs, type RateLimiter } from './rate-limiter.ts';

// Every script reads Redis's clock, so replicas on hosts whose clocks differ still agree.
const NOW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)`;
/** Keys are forgotten this long after the last send: an idle bot holds nothing in Redis. */
const KEEP_MS = 60_000;

// KEYS[1] the last turn handed out, KEYS[2] paused until; ARGV[1] ms between turns.
// Hands out a turn (0) if one is free now and records it, else answers how many ms to wait.
const TAKE = `${NOW}
local free = math.max(tonumber(redis.call('GET', KEYS[1]) or '0') + tonumber(ARGV[1]),
  tonumber(redis.call('GET', KEYS[2]) or '0'))
if free > now then return free - now end
redis.call('SET', KEYS[1], now, 'PX', ${KEEP_MS})
return 0`;

// KEYS[1] the last turn handed out: the turn taken last is used only now.
const USED_NOW = `${NOW}
if now > tonumber(redis.call('GET', KEYS[1]) or '0') then redis.call('SET', KEYS[1], now, 'PX', ${KEEP_MS}) end
return 0`;

// KEYS[1] paused until; ARGV[1] ms to pause from now (never shortens a longer pause).
const PAUSE = `${NOW}
local paused = now + tonumber(ARGV[1])
if paused > tonumber(redis.call('GET', KEYS[1]) or '0') then redis.call('SET', KEYS[1], paused, 'PX', ARGV[1]) end
return 0`;

type WithPace = Redis & {
  telegramTakeTurn(last: string, paused: string, intervalMs: number): Promise<number>;
  telegramUsedNow(last: string): Promise<number>;
  telegramPause(paused: string, ms: number): Promise<number>;
};

export interface SharedRateLimiterOptions {
  redis: Redis;
  /** Opens on a failed or slow command: this process then paces alone until Redis is back. */
  guard: RedisGuard;
  /** Names the bot: replicas sending for one bot token share it. */
  key: string;
  perSecond: number;
}

/**
 * The limiter of `createRateLimiter` (one turn every `ceil(1000 / perSecond)` ms, counted from
 * when a turn is really used, and a 429's pause holding everyone) kept in Redis, so that every
 * replica of the notification service shares Telegram's limit per bot instead of each taking
 * all of it. A turn is one Lua script: free now, or how long to wait. Callers in one process are
 * served in call order, as by the local limiter.
 *
 * While Redis is down or slow (the guard is open) each process falls back to its own local
 * limiter at the full rate: messages keep going out, and N replicas may then send up to N times
 * the limit, which Telegram answers with 429 and a `retry_after` that the client honours.
 */
export function createSharedRateLimiter(options: SharedRateLimiterOptions): RateLimiter {
  const { guard, perSecond } = options;
  const redis = options.redis as WithPace;
  redis.defineCommand('telegramTakeTurn', { numberOfKeys: 2, lua: TAKE });
  redis.defineCommand('telegramUsedNow', { numberOfKeys: 1, lua: USED_NOW });
  redis.defineCommand('telegramPause', { numberOfKeys: 1, lua: PAUSE });
  const intervalMs = turnIntervalMs(perSecond);
  const last = `${options.key}:last-turn`;
  const paused = `${options.key}:paused-until`;
  // Follows every shared turn and pause, so a fallback carries on from where Redis left off.
  const local = createRateLimiter({ perSecond });
  let queue: Promise<void> = Promise.resolve();

  return {
    take(signal) {
      const turn = queue.then(async () => {
        for (;;) {
          signal?.throwIfAborted();
          const wait = await guard.run((client) =>
            (client as WithPace).telegramTakeTurn(last, paused, intervalMs),
          );
          if (wait === undefined) return local.take(signal);
          if (wait <= 0) return local.usedNow();
          await sleep(wait, undefined, { signal });
        }
      });
      queue = turn.catch(() => {});
      return turn;
    },
    pauseFor(ms) {
      local.pauseFor(ms);
      // `retry_after: 0` pauses nothing, and PX 0 would be a script error that opens the guard.
      if (ms >= 1) void guard.run((client) => (client as WithPace).telegramPause(paused, Math.ceil(ms)));
    },
    usedNow() {
      local.usedNow();
      void guard.run((client) => (client as WithPace).telegramUsedNow(last));
    },
    turnsWithin: (ms) => local.turnsWithin(ms),
    // The local limiter follows every turn of this process and every pause: another replica's
    // turns it cannot know, so `take` may still wait after this says 0.
    untilNextTurn: () => local.untilNextTurn(),
  };
}

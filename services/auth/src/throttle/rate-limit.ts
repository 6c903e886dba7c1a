import { tooManyRequests } from '@shop/shared';
import type { Redis } from 'ioredis';
import { redisScript } from './redis-script.ts';

export interface PasswordRateOptions {
  keyPrefix: string;
  /** Requests one client may make in a minute (and at once). */
  perClientPerMinute: number;
  /** Requests all clients together may make in a second, across replicas (and at once). */
  totalPerSecond: number;
}

/** Admits requests that cost a bcrypt job (register, login), per client and in total. */
export interface PasswordRateLimit {
  /** Counts one request of `client`; throws 429 with Retry-After when over a limit. */
  admit(client: string): Promise<void>;
}

// GCRA (a leaky bucket kept as one timestamp per key): each key allows window/interval requests
// at once, then one every interval ms. A request over either limit changes neither key, so a
// client refused for its own flood does not spend the total. Returns each key's wait in ms.
const ADMIT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local waits, next, refused = {}, {}, false
for i, key in ipairs(KEYS) do
  local interval, window = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local tat = math.max(tonumber(redis.call('GET', key) or '0'), now)
  waits[i] = math.max(0, math.ceil(tat + interval - window - now))
  if waits[i] > 0 then refused = true end
  next[i] = math.ceil(tat + interval)
end
if refused then return waits end
for i, key in ipairs(KEYS) do redis.call('SET', key, next[i], 'PX', next[i] - now) end
return {0, 0}`;

// Refusals remembered in this process; past this many keys the memo starts again.
const MEMO_MAX = 10_000;

/**
 * Limits shared by every replica through one Redis (a Lua script keeps each check atomic). A
 * refusal is also remembered here until the wait Redis named has passed, so a flood is mostly
 * refused without a round trip: other replicas can only push that wait further out, never closer.
 */
export function createPasswordRateLimit(redis: Redis, options: PasswordRateOptions): PasswordRateLimit {
  const admit = redisScript(redis, ADMIT);
  const limits = [60_000 / options.perClientPerMinute, 60_000, 1_000 / options.totalPerSecond, 1_000];
  const totalKey = `${options.keyPrefix}rate:total`;
  const refusedUntil = new Map<string, number>();
  const remember = (key: string, waitMs: number) => {
    if (waitMs <= 0) return;
    if (refusedUntil.size >= MEMO_MAX) refusedUntil.clear();
    refusedUntil.set(key, performance.now() + waitMs);
  };
  const refuse = (waitMs: number) =>
    tooManyRequests(
      'Too many sign-in attempts right now; try again later',
      Math.max(1, Math.ceil(waitMs / 1000)),
    );

  return {
    async admit(client) {
      const clientKey = `${options.keyPrefix}rate:client:${client}`;
      const known =
        Math.max(refusedUntil.get(clientKey) ?? 0, refusedUntil.get(totalKey) ?? 0) - performance.now();
      if (known > 0) throw refuse(known);
      const [clientWait, totalWait] = (await admit([clientKey, totalKey], limits)) as [number, number];
      remember(clientKey, clientWait);
      remember(totalKey, totalWait);
      if (clientWait > 0 || totalWait > 0) throw refuse(Math.max(clientWait, totalWait));
    },
  };
}

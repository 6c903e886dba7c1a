import { ServiceUnavailableError, tooManyRequests } from '@shop/shared';
import type { Redis } from 'ioredis';

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

// GCRA (a leaky bucket kept as one timestamp per key): each key allows ARGV window/interval
// requests at once, then one every interval ms. A request over either limit changes neither
// key, so a client refused for its own flood does not spend the total. Returns the wait in ms.
const ADMIT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local wait, next = 0, {}
for i, key in ipairs(KEYS) do
  local interval, window = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local tat = math.max(tonumber(redis.call('GET', key) or '0'), now)
  wait = math.max(wait, tat + interval - window - now)
  next[i] = tat + interval
end
if wait > 0 then return math.ceil(wait) end
for i, key in ipairs(KEYS) do redis.call('SET', key, math.ceil(next[i]), 'PX', math.ceil(next[i] - now)) end
return 0`;

/** Limits shared by every replica through one Redis (a Lua script keeps each check atomic). */
export function createPasswordRateLimit(redis: Redis, options: PasswordRateOptions): PasswordRateLimit {
  const client = { interval: 60_000 / options.perClientPerMinute, window: 60_000 };
  const total = { interval: 1_000 / options.totalPerSecond, window: 1_000 };
  return {
    async admit(id) {
      let waitMs: number;
      try {
        waitMs = (await redis.eval(
          ADMIT,
          2,
          `${options.keyPrefix}rate:client:${id}`,
          `${options.keyPrefix}rate:total`,
          client.interval,
          client.window,
          total.interval,
          total.window,
        )) as number;
      } catch (error) {
        throw new ServiceUnavailableError('redis', error);
      }
      if (waitMs > 0) {
        throw tooManyRequests(
          'Too many sign-in attempts right now; try again later',
          Math.max(1, Math.ceil(waitMs / 1000)),
        );
      }
    },
  };
}

import type { Redis } from 'ioredis';

// Raises the version key to ARGV[1] if that is higher and announces it; returns the version now stored.
// One script, so two writers finishing out of order can never move the version backwards.
const RAISE_VERSION = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local wanted = tonumber(ARGV[1])
if wanted > current then
  redis.call('SET', KEYS[1], ARGV[1])
  redis.call('PUBLISH', ARGV[2], ARGV[1])
  return wanted
end
return current`;

type WithRaiseVersion = Redis & {
  catalogRaiseVersion(key: string, version: string, channel: string): Promise<number>;
};

/** Registers the script on a client (ioredis runs it by SHA and reloads it after a Redis restart). */
export function defineRaiseVersion(redis: Redis): void {
  redis.defineCommand('catalogRaiseVersion', { numberOfKeys: 1, lua: RAISE_VERSION });
}

/** Moves the version at `key` up to `version` (never down), publishing it on `channel` if it moved. */
export function raiseVersion(redis: Redis, key: string, version: number, channel: string): Promise<number> {
  return (redis as WithRaiseVersion).catalogRaiseVersion(key, String(version), channel);
}

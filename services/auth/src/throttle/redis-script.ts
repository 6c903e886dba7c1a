import { createHash } from 'node:crypto';
import { ServiceUnavailableError } from '@shop/shared';
import type { Redis } from 'ioredis';

/** A Lua script run by its SHA1, so each call sends only the arguments; any Redis failure is a 503. */
export type RedisScript = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

export function redisScript(redis: Redis, lua: string): RedisScript {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (keys, args) => {
    try {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        // Redis forgets scripts on restart or SCRIPT FLUSH: sending the body loads it again.
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return await redis.eval(lua, keys.length, ...keys, ...args);
      }
    } catch (error) {
      throw new ServiceUnavailableError('redis', error);
    }
  };
}

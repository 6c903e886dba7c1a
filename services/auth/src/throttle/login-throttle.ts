import { ServiceUnavailableError, tooManyRequests, unauthorized } from '@shop/shared';
import type { Redis } from 'ioredis';
import { createFailureLock, type FailureLockOptions } from './failure-lock.ts';

export interface LoginThrottle {
  /**
   * Runs one password check for `email` on behalf of `client` (an address, or the end user the
   * bot names). Refuses with 429 while locked; `check` answers what it found, or undefined for a
   * wrong password or unknown e-mail (then 401). If `check` throws, the attempt counts for nothing.
   */
  attempt<T>(email: string, client: string, check: () => Promise<T | undefined>): Promise<T>;
}

export interface ThrottleOptions extends FailureLockOptions {
  keyPrefix: string;
  /** How long a client stays trusted for an account after signing in to it. */
  trustDays?: number;
}

// Enough for a person's devices and networks; the oldest trust is forgotten first.
const MAX_TRUSTED_CLIENTS = 20;

/**
 * Login throttling after OWASP's "device cookies" design, with the client's identity in place of
 * the cookie. A client that signed in to an account before is trusted for it and has failures and
 * a lock of its own; every other client shares the account's lock for untrusted clients. A
 * stranger can lock only the untrusted clients out, never the owner on a client they used before;
 * guesses stay capped per account whatever the number of addresses they come from.
 */
export function createLoginThrottle(redis: Redis, options: ThrottleOptions): LoginThrottle {
  const lock = createFailureLock(redis, options);
  const trustMs = (options.trustDays ?? 30) * 86_400_000;
  // Validated e-mails and client ids hold no space, so no two pairs share a key.
  const trustedKey = (email: string) => `${options.keyPrefix}login-trusted:${email}`;
  const laneKey = (email: string, client: string, trusted: boolean) =>
    trusted ? `${options.keyPrefix}login:${email} ${client}` : `${options.keyPrefix}login:${email}`;

  const isTrusted = async (email: string, client: string) => {
    try {
      return Number(await redis.zscore(trustedKey(email), client)) > Date.now();
    } catch (error) {
      throw new ServiceUnavailableError('redis', error);
    }
  };
  const trust = async (email: string, client: string) => {
    const key = trustedKey(email);
    await redis
      .multi()
      .zadd(key, Date.now() + trustMs, client)
      .zremrangebyscore(key, '-inf', Date.now())
      .zremrangebyrank(key, 0, -(MAX_TRUSTED_CLIENTS + 1))
      .pexpire(key, trustMs)
      .exec();
  };

  return {
    async attempt<T>(email: string, client: string, check: () => Promise<T | undefined>): Promise<T> {
      const trusted = await isTrusted(email, client);
      const admission = await lock.begin(laneKey(email, client, trusted));
      if (!admission.allowed) {
        throw tooManyRequests(
          'Too many failed logins for this account; try again later',
          admission.retryAfterSeconds,
        );
      }
      const { attempt } = admission;
      let found: T | undefined;
      try {
        found = await check();
      } catch (error) {
        await attempt.release().catch(() => undefined);
        throw error;
      }
      if (found === undefined) {
        await attempt.failed();
        throw unauthorized('E-mail or password is wrong');
      }
      await attempt.succeeded();
      // The sign-in stands even if Redis fails to remember the client: trust is only a convenience.
      await trust(email, client).catch(() => undefined);
      return found;
    },
  };
}

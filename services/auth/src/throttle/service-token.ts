import { forbidden, isServiceToken, tooManyRequests } from '@shop/shared';
import type { FailureLock } from './failure-lock.ts';

/** The bot's shared secret (`X-Service-Token`), guessed at no faster than a password. */
export interface ServiceTokenCheck {
  /** Resolves when `given` is the secret; 403 when it is not, 429 while `client` is locked out. */
  verify(given: string | undefined, client: string): Promise<void>;
}

/**
 * Wrong tokens lock the address they came from like wrong passwords lock an account. The compare
 * runs first (it costs nothing) and its outcome is recorded in one atomic step, so of any number
 * of parallel guesses at most `maxFailures` are answered before the lock answers the rest, the
 * right token included.
 */
export function createServiceTokenCheck(
  lock: FailureLock,
  options: { secret: string; keyPrefix: string },
): ServiceTokenCheck {
  return {
    async verify(given, client) {
      const ok = isServiceToken(given, options.secret);
      const verdict = await lock.record(`${options.keyPrefix}service-token:${client}`, ok);
      if (!verdict.allowed) {
        throw tooManyRequests(
          'Too many wrong service tokens from this address; try again later',
          verdict.retryAfterSeconds,
        );
      }
      if (!ok) throw forbidden('Only the bot may do this');
    },
  };
}

import { createHash } from 'node:crypto';
import type { Dependencies } from './context.ts';

/** Text that arrives this soon after a password step ended may be the password sent again. */
export const AFTER_PASSWORD_SECONDS = 60;

export interface PasswordSteps {
  /**
   * A password step is waiting (or a password just arrived) for this user and e-mail: marks the
   * step open and returns how many seconds a login lock still holds (0: none).
   */
  waiting(telegramId: number, email: string): Promise<number>;
  /** Auth locked logins for this e-mail: the step refuses every password until then. */
  lock(telegramId: number, email: string, seconds: number): Promise<void>;
  /** The step ended (signed in, cancelled, left): text is guarded for a while. No step, no effect. */
  ended(telegramId: number): Promise<void>;
  /** True while a password step is open or ended less than AFTER_PASSWORD_SECONDS ago. */
  guarded(telegramId: number): Promise<boolean>;
}

/**
 * Password steps as the bot remembers them in Redis, per Telegram user: never in the
 * conversation's replay log, which would keep them with the passwords' neighbours, and read by
 * the features outside the conversation (escape, search) that must not echo a password.
 */
export function createPasswordSteps({
  redis,
  keyPrefix,
  conversationTtlSeconds = 86_400,
}: Pick<Dependencies, 'redis' | 'keyPrefix' | 'conversationTtlSeconds'>): PasswordSteps {
  const step = (telegramId: number) => `${keyPrefix}password-step:${telegramId}`;
  // Auth locks an e-mail, so another e-mail may still be tried; the hash keeps it out of key names.
  const lock = (telegramId: number, email: string) =>
    `${keyPrefix}login-lock:${telegramId}:${createHash('sha256').update(email).digest('hex').slice(0, 32)}`;

  return {
    async waiting(telegramId, email) {
      // As long as the conversation: the step is open while it can still be answered.
      await redis.set(step(telegramId), 'open', 'EX', conversationTtlSeconds);
      const leftMs = await redis.pttl(lock(telegramId, email));
      return leftMs > 0 ? Math.ceil(leftMs / 1000) : 0;
    },
    async lock(telegramId, email, seconds) {
      await redis.set(lock(telegramId, email), '1', 'EX', Math.max(1, Math.ceil(seconds)));
    },
    async ended(telegramId) {
      await redis.set(step(telegramId), 'ended', 'EX', AFTER_PASSWORD_SECONDS, 'XX');
    },
    async guarded(telegramId) {
      return (await redis.exists(step(telegramId))) === 1;
    },
  };
}

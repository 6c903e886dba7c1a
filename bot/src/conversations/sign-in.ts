import { ServiceUnavailableError } from '@shop/shared';
import { ServiceResponseError } from '../clients/http.ts';
import type { Dependencies } from '../context.ts';
import { profileOf, type TelegramFrom } from '../telegram-profile.ts';

export type SignInOutcome =
  | { kind: 'signed-in'; email: string }
  | { kind: 'wrong-password' }
  | { kind: 'locked'; seconds: number }
  | { kind: 'email-taken' }
  | { kind: 'rejected' }
  | { kind: 'telegram-linked-elsewhere' }
  | { kind: 'account-linked-elsewhere' }
  | { kind: 'down' };

/**
 * Registers (optionally), logs in, links this Telegram account and keeps the tokens in Redis.
 * Runs inside `conversation.external`, so it returns only a plain outcome: tokens and the
 * password never enter the conversation's replay log. The link carries the user's Telegram
 * profile, language included: every sign-in brings the account up to date, and the services
 * write to the user in it. A Telegram-only account this chat used so far gives its link up to
 * the e-mail account (auth's rule), keeping its orders.
 */
export async function signIn(
  deps: Dependencies,
  from: TelegramFrom,
  email: string,
  password: string,
  register: boolean,
): Promise<SignInOutcome> {
  const profile = profileOf(from);
  const telegramId = from.id;
  try {
    if (register) await deps.auth.register(email, password, telegramId);
    const pair = await deps.auth.login(email, password, telegramId);
    try {
      const user = await deps.auth.linkTelegram(pair.accessToken, profile);
      const previous = await deps.signIns.get(telegramId);
      await deps.signIns.save(telegramId, { email }, pair, profile);
      // The sign-in it replaces is no one's any more.
      if (previous) await deps.auth.logout(previous.refreshToken).catch(() => undefined);
      return { kind: 'signed-in', email: user.email ?? email };
    } catch (error) {
      // Not linked means not signed in here: do not leave a live refresh token behind.
      await deps.auth.logout(pair.refreshToken).catch(() => undefined);
      throw error;
    }
  } catch (error) {
    return outcomeOf(error, deps);
  }
}

function outcomeOf(error: unknown, deps: Dependencies): SignInOutcome {
  if (error instanceof ServiceUnavailableError) return { kind: 'down' };
  if (!(error instanceof ServiceResponseError)) throw error;
  if (error.status === 401) return { kind: 'wrong-password' };
  if (error.status === 429) return { kind: 'locked', seconds: error.retryAfterSeconds ?? 60 };
  if (error.code === 'email_taken') return { kind: 'email-taken' };
  if (error.code === 'telegram_linked_elsewhere') return { kind: 'telegram-linked-elsewhere' };
  if (error.code === 'account_linked_elsewhere') return { kind: 'account-linked-elsewhere' };
  deps.logger.warn({ status: error.status, code: error.code }, 'auth refused a sign-in');
  return { kind: 'rejected' };
}

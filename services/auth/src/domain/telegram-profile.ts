/**
 * What Telegram says about a user, as the bot (or, later, a Mini App's signed `initData`) passes
 * it on. Telegram has proven the id; the rest is what the user's client shows.
 */
export interface TelegramProfile {
  telegramId: number;
  /** Telegram's `language_code`; absent: not known this time, the stored one stays. */
  languageCode?: string | undefined;
  /** Absent: not known this time, the stored one stays. */
  firstName?: string | undefined;
  /** `null`: the user has no username (any more); absent: not known this time, the stored one stays. */
  username?: string | null | undefined;
}

/** The profile fields an account keeps. */
export interface StoredProfile {
  languageCode: string | null;
  firstName: string | null;
  username: string | null;
}

export interface ProfileUpdate {
  next: StoredProfile;
  /**
   * The language or the first name differs: notification must hear of it (it writes to the user
   * in their language, and names them to the merchant).
   */
  announced: boolean;
}

/** The account's profile once `given` is applied to `stored`: what is not known this time stays. */
export function profileUpdate(
  stored: { [K in keyof StoredProfile]?: StoredProfile[K] | undefined },
  given: Omit<TelegramProfile, 'telegramId'>,
): ProfileUpdate {
  const before: StoredProfile = {
    languageCode: stored.languageCode ?? null,
    firstName: stored.firstName ?? null,
    username: stored.username ?? null,
  };
  const next: StoredProfile = {
    languageCode: given.languageCode ?? before.languageCode,
    firstName: given.firstName ?? before.firstName,
    username: given.username === undefined ? before.username : given.username,
  };
  return {
    next,
    announced: next.languageCode !== before.languageCode || next.firstName !== before.firstName,
  };
}

import type { Redis } from 'ioredis';
import type { AuthClient, TelegramProfile, TokenPair } from './clients/auth.ts';
import { ServiceResponseError } from './clients/http.ts';
import { profileKey, profileOf, type TelegramFrom } from './telegram-profile.ts';

/**
 * Auth refused to sign the user in, by refresh token and then by their Telegram identity: the
 * bot's service token is wrong or locked out. The user can only try again later.
 */
export class SessionExpiredError extends Error {
  constructor() {
    super('Auth refused to sign the user in');
    this.name = 'SessionExpiredError';
  }
}

export interface SignIn {
  /** The account's e-mail; null for an account known only by its Telegram identity. */
  email: string | null;
  accessToken: string;
  /** Epoch milliseconds. */
  accessExpiresAt: number;
  refreshToken: string;
  /** `profileKey` of the Telegram profile auth last heard from the bot; absent: none yet. */
  profile?: string;
}

/**
 * Whom a service call is for: the update's `from` (its profile is passed on to auth when it
 * changed), or just the Telegram id where no update is at hand.
 */
export type TelegramUser = number | TelegramFrom;

export interface SignIns {
  get(telegramId: number): Promise<SignIn | undefined>;
  /** Keeps a sign-in made elsewhere (an e-mail login); `profile`: what that sign-in told auth. */
  save(
    telegramId: number,
    user: { email: string | null },
    pair: TokenPair,
    profile?: TelegramProfile,
  ): Promise<void>;
  /**
   * Calls `fn` with a valid access token. A user not signed in is signed in by their Telegram
   * identity (an account is made on first need); a changed Telegram profile is passed on the same
   * way; the token is refreshed silently shortly before it expires, and once more if the service
   * still answers 401. Throws SessionExpiredError only when auth refuses all of that.
   */
  withToken<T>(user: TelegramUser, fn: (accessToken: string) => Promise<T>): Promise<T>;
  /**
   * Revokes the refresh token at auth (best effort) and forgets the sign-in. The next call for
   * this user signs in again by Telegram identity, to the account linked to it.
   */
  signOut(telegramId: number): Promise<void>;
}

export interface SignInsOptions {
  redis: Redis;
  prefix: string;
  auth: AuthClient;
  /** Refresh tokens live 30 days at auth; keeping ours as long is enough. */
  ttlSeconds?: number;
  now?: () => number;
}

// Refreshing this long before expiry keeps a slow request from arriving with a dead token.
const EARLY_REFRESH_MS = 30_000;
const LOCK_MS = 10_000;

const refused = (error: unknown) => error instanceof ServiceResponseError && error.status < 500;
/** Auth has not heard this profile from the bot yet. */
const profileChanged = (signIn: SignIn, profile: TelegramProfile | undefined) =>
  profile !== undefined && signIn.profile !== profileKey(profile);

/**
 * Sign-ins are kept server-side in Redis per Telegram user, never in chat or conversation state.
 * Refresh tokens rotate and a reused one revokes the whole family, and two first sign-ins would
 * leave one family unused, so only one replica at a time may renew a user's sign-in: a Redis lock
 * serialises it and the others wait for what it writes.
 */
export function createSignIns({
  redis,
  prefix,
  auth,
  ttlSeconds = 30 * 86_400,
  now = Date.now,
}: SignInsOptions): SignIns {
  const key = (telegramId: number) => `${prefix}signin:${telegramId}`;

  async function get(telegramId: number): Promise<SignIn | undefined> {
    const raw = await redis.get(key(telegramId));
    return raw === null ? undefined : (JSON.parse(raw) as SignIn);
  }

  async function write(telegramId: number, signIn: SignIn) {
    await redis.set(key(telegramId), JSON.stringify(signIn), 'EX', ttlSeconds);
  }

  /** Another replica renews: what it wrote once its lock is gone. */
  async function renewedByOther(telegramId: number): Promise<SignIn> {
    for (let i = 0; i < LOCK_MS / 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if ((await redis.exists(`${key(telegramId)}:lock`)) === 0) {
        const current = await get(telegramId);
        if (current) return current;
        break;
      }
    }
    throw new SessionExpiredError();
  }

  /**
   * `profile` undefined: only the id is sent and auth keeps the profile it has, which is
   * `knownProfile` if the bot told it before.
   */
  async function signInByTelegram(
    telegramId: number,
    profile: TelegramProfile | undefined,
    knownProfile: string | undefined,
  ): Promise<SignIn> {
    let pair: TokenPair;
    try {
      pair = await auth.signInWithTelegram(profile ?? { telegramId });
    } catch (error) {
      if (refused(error)) throw new SessionExpiredError();
      throw error;
    }
    // The account linked to this Telegram id may be an e-mail account the user logged in to before.
    const { email } = await auth.me(pair.accessToken);
    const told = profile === undefined ? knownProfile : profileKey(profile);
    const next: SignIn = {
      email,
      ...fromPair(pair, now()),
      ...(told === undefined ? {} : { profile: told }),
    };
    await write(telegramId, next);
    return next;
  }

  /**
   * Renews the sign-in `seen` (undefined: there was none) under the user's lock: a refresh while
   * auth already has the profile, else a sign-in by Telegram identity, which is also what follows
   * a refused refresh. A sign-in renewed by someone else meanwhile is taken as it is.
   */
  async function renew(
    telegramId: number,
    seen: SignIn | undefined,
    profile: TelegramProfile | undefined,
  ): Promise<SignIn> {
    const lock = `${key(telegramId)}:lock`;
    if ((await redis.set(lock, '1', 'PX', LOCK_MS, 'NX')) === null) return renewedByOther(telegramId);
    try {
      const current = await get(telegramId);
      if (current && current.refreshToken !== seen?.refreshToken) return current;
      if (!current) return await signInByTelegram(telegramId, profile, undefined);
      if (profileChanged(current, profile)) {
        const next = await signInByTelegram(telegramId, profile, current.profile);
        // The family it replaces is no one's any more.
        await auth.logout(current.refreshToken).catch(() => undefined);
        return next;
      }
      try {
        const next = { ...current, ...fromPair(await auth.refresh(current.refreshToken), now()) };
        await write(telegramId, next);
        return next;
      } catch (error) {
        if (!refused(error)) throw error;
        // Revoked, expired or reused: that sign-in is dead, but the Telegram identity still signs in.
        await redis.del(key(telegramId));
        return await signInByTelegram(telegramId, profile, current.profile);
      }
    } finally {
      await redis.del(lock);
    }
  }

  return {
    get,
    async save(telegramId, user, pair, profile) {
      const known = profile === undefined ? {} : { profile: profileKey(profile) };
      await write(telegramId, { email: user.email, ...fromPair(pair, now()), ...known });
    },
    async withToken(user, fn) {
      const telegramId = typeof user === 'number' ? user : user.id;
      const profile = typeof user === 'number' ? undefined : profileOf(user);
      const current = await get(telegramId);
      const fresh =
        current && !profileChanged(current, profile) && current.accessExpiresAt - EARLY_REFRESH_MS > now();
      const signIn = fresh ? current : await renew(telegramId, current, profile);
      try {
        return await fn(signIn.accessToken);
      } catch (error) {
        if (!(error instanceof ServiceResponseError && error.status === 401)) throw error;
        return fn((await renew(telegramId, signIn, undefined)).accessToken);
      }
    },
    async signOut(telegramId) {
      const signIn = await get(telegramId);
      await redis.del(key(telegramId));
      // The local sign-in is gone either way; an unreachable auth only leaves a token that expires.
      if (signIn) await auth.logout(signIn.refreshToken).catch(() => undefined);
    },
  };
}

function fromPair(pair: TokenPair, at: number) {
  return {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    accessExpiresAt: at + pair.expiresIn * 1000,
  };
}

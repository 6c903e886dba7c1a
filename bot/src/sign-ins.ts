import type { Redis } from 'ioredis';
import type { AuthClient, TokenPair } from './clients/auth.ts';
import { ServiceResponseError } from './clients/http.ts';

/** The user was signed in, but auth no longer accepts the refresh token (revoked, expired, reused). */
export class SessionExpiredError extends Error {
  constructor() {
    super('The sign-in expired; the user has to log in again');
    this.name = 'SessionExpiredError';
  }
}

export interface SignIn {
  userId: string;
  email: string;
  accessToken: string;
  /** Epoch milliseconds. */
  accessExpiresAt: number;
  refreshToken: string;
}

export interface SignIns {
  get(telegramId: number): Promise<SignIn | undefined>;
  save(telegramId: number, user: { id: string; email: string }, pair: TokenPair): Promise<void>;
  /**
   * Calls `fn` with a valid access token: refreshed silently shortly before it expires, and once
   * more if the service still answers 401. Throws SessionExpiredError when auth refuses.
   */
  withToken<T>(telegramId: number, fn: (accessToken: string) => Promise<T>): Promise<T>;
  /** Revokes the refresh token at auth (best effort) and forgets the sign-in. */
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

/**
 * Sign-ins are kept server-side in Redis per Telegram user, never in chat or conversation state.
 * Refresh tokens rotate and a reused one revokes the whole family, so only one replica may
 * refresh at a time: a Redis lock serialises it and the others wait for the new pair.
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

  async function waitForOtherRefresh(telegramId: number, stale: SignIn): Promise<SignIn> {
    for (let i = 0; i < LOCK_MS / 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const current = await get(telegramId);
      if (!current) throw new SessionExpiredError();
      if (current.refreshToken !== stale.refreshToken) return current;
    }
    throw new SessionExpiredError();
  }

  async function refresh(telegramId: number, stale: SignIn): Promise<SignIn> {
    const lock = `${key(telegramId)}:lock`;
    if ((await redis.set(lock, '1', 'PX', LOCK_MS, 'NX')) === null)
      return waitForOtherRefresh(telegramId, stale);
    try {
      const current = await get(telegramId);
      if (!current) throw new SessionExpiredError();
      if (current.refreshToken !== stale.refreshToken) return current;
      let pair: TokenPair;
      try {
        pair = await auth.refresh(current.refreshToken);
      } catch (error) {
        if (error instanceof ServiceResponseError && error.status < 500) {
          await redis.del(key(telegramId));
          throw new SessionExpiredError();
        }
        throw error;
      }
      const next = { ...current, ...fromPair(pair, now()) };
      await write(telegramId, next);
      return next;
    } finally {
      await redis.del(lock);
    }
  }

  return {
    get,
    async save(telegramId, user, pair) {
      await write(telegramId, { userId: user.id, email: user.email, ...fromPair(pair, now()) });
    },
    async withToken(telegramId, fn) {
      let signIn = await get(telegramId);
      if (!signIn) throw new SessionExpiredError();
      if (signIn.accessExpiresAt - EARLY_REFRESH_MS <= now()) signIn = await refresh(telegramId, signIn);
      try {
        return await fn(signIn.accessToken);
      } catch (error) {
        if (!(error instanceof ServiceResponseError && error.status === 401)) throw error;
        return fn((await refresh(telegramId, signIn)).accessToken);
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

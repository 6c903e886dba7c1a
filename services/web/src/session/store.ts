import { createHash, randomBytes } from 'node:crypto';
import { ServiceUnavailableError, type GuardedRedis } from '@shop/shared';
import { z } from 'zod';
import type { TokenPair } from '../clients/auth.ts';

/** A browser signed in by e-mail and password, or a Mini App signed in by Telegram's initData. */
export const sessionKinds = ['browser', 'mini_app'] as const;
export type SessionKind = (typeof sessionKinds)[number];

/**
 * How Telegram launched a Mini App (its launch parameters but the initData): kept with its session
 * for the pages after the first, where a browser denies the Mini App's frame its storage.
 */
export const launchSchema = z.object({
  version: z.string().regex(/^\d{1,3}(\.\d{1,3}){0,2}$/),
  platform: z.string().regex(/^[\w-]{1,32}$/),
  theme: z
    .record(z.string().regex(/^[a-z_]{1,40}$/), z.string().regex(/^#[0-9a-fA-F]{6}$/))
    .refine((theme) => Object.keys(theme).length <= 40, 'at most 40 colours'),
});
export type Launch = z.infer<typeof launchSchema>;

/**
 * What a signed-in session keeps, server-side only: auth's tokens, and for a Mini App the Telegram
 * user it was signed in as, the token every request that changes something must carry
 * (docs/decisions/mini-app-session.md) and its launch. Sessions from before kinds existed are a
 * browser's.
 */
const sessionSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** When the access token runs out (epoch ms). */
  accessExpiresAt: z.number(),
  kind: z.enum(sessionKinds).default('browser'),
  telegramId: z.number().int().positive().optional(),
  csrfToken: z.string().optional(),
  launch: launchSchema.optional(),
});
export type Session = z.infer<typeof sessionSchema>;

/** The tokens of `pair`, as a session keeps them. */
export const tokensOf = (pair: TokenPair, now = Date.now()) => ({
  accessToken: pair.accessToken,
  refreshToken: pair.refreshToken,
  accessExpiresAt: now + pair.expiresIn * 1000,
});

/** A browser's session for `pair`. */
export const sessionOf = (pair: TokenPair, now = Date.now()): Session => ({
  ...tokensOf(pair, now),
  kind: 'browser',
});

/** A Mini App's session for `pair`, signed in as Telegram user `telegramId`, with a fresh CSRF token. */
export const miniAppSessionOf = (
  pair: TokenPair,
  telegramId: number,
  launch: Launch | undefined,
  now = Date.now(),
): Session => ({
  ...tokensOf(pair, now),
  kind: 'mini_app',
  telegramId,
  csrfToken: randomBytes(32).toString('base64url'),
  ...(launch ? { launch } : {}),
});

/** Sessions in Redis by the random id the cookie holds; nothing else ever sees the tokens. */
export interface SessionStore {
  /** Keeps `session` under a new random id (the cookie's value), for `ttlSeconds`. */
  create(session: Session): Promise<string>;
  read(id: string): Promise<Session | undefined>;
  /** Replaces the session's tokens (after a refresh), its lifetime started again. */
  write(id: string, session: Session): Promise<void>;
  drop(id: string): Promise<void>;
  /**
   * Takes the right to refresh session `id`'s tokens for `ms` (one replica at a time: auth
   * revokes every token of a session whose refresh token is used twice); false when another has it.
   */
  claimRefresh(id: string, ms: number): Promise<boolean>;
  releaseRefresh(id: string): Promise<void>;
}

/** An id is 32 random bytes in base64url; anything else names no session. */
const ID = /^[\w-]{43}$/;

/**
 * Keys are `<keyPrefix>session:<SHA-256 of the id>`: a look at Redis gives no cookie that works.
 * A session lives as long as auth's refresh token (`ttlSeconds`); Redis down is a 503.
 */
export function redisSessionStore(
  redis: GuardedRedis['client'],
  options: { keyPrefix: string; ttlSeconds: number },
): SessionStore {
  const keyOf = (id: string) =>
    `${options.keyPrefix}session:${createHash('sha256').update(id).digest('base64url')}`;
  const claimKeyOf = (id: string) => `${keyOf(id)}:refreshing`;
  const run = async <T>(command: () => Promise<T>): Promise<T> => {
    try {
      return await command();
    } catch (error) {
      throw new ServiceUnavailableError('redis', error);
    }
  };
  const write = async (id: string, session: Session) => {
    await run(() => redis.set(keyOf(id), JSON.stringify(session), 'EX', options.ttlSeconds));
  };
  return {
    async create(session) {
      const id = randomBytes(32).toString('base64url');
      await write(id, session);
      return id;
    },
    async read(id) {
      if (!ID.test(id)) return undefined;
      const kept = await run(() => redis.get(keyOf(id)));
      if (kept === null) return undefined;
      const parsed = sessionSchema.safeParse(JSON.parse(kept) as unknown);
      return parsed.success ? parsed.data : undefined;
    },
    write,
    async drop(id) {
      if (ID.test(id)) await run(() => redis.del(keyOf(id)));
    },
    claimRefresh: async (id, ms) =>
      (await run(() => redis.set(claimKeyOf(id), '1', 'PX', ms, 'NX'))) === 'OK',
    async releaseRefresh(id) {
      await run(() => redis.del(claimKeyOf(id)));
    },
  };
}

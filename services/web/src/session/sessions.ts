import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { AuthClient, TokenPair } from '../clients/auth.ts';
import { ServiceAnswer } from '../clients/http.ts';
import {
  miniAppSessionOf,
  sessionOf,
  tokensOf,
  type Launch,
  type Session,
  type SessionKind,
  type SessionStore,
} from './store.ts';

/** An access token this close to running out is refreshed before it is used. */
const REFRESH_MARGIN_MS = 30_000;
/** How long one replica may take to refresh a session's tokens; the others wait that long at most. */
const REFRESH_CLAIM_MS = 5_000;
const REFRESH_POLL_MS = 50;

const isFresh = (session: Session) => session.accessExpiresAt - REFRESH_MARGIN_MS > Date.now();

/** The request's live session, as pages and routes use it. */
export interface CurrentSession {
  kind: SessionKind;
  accessToken: string;
  /** A Mini App's: the Telegram user it was signed in as. */
  telegramId?: number;
  /** A Mini App's: what every request that changes something must carry. */
  csrfToken?: string;
  /** A Mini App's: how Telegram launched it. */
  launch?: Launch;
}

/** The signed-in browser's or Mini App's server-side session, behind its cookie. */
export interface Sessions {
  /** Starts a browser's session for `pair` and sets its cookie (replacing any session it had). */
  signIn(c: Context, pair: TokenPair): Promise<void>;
  /** Starts a Mini App's session for `pair`, signed in as `telegramId` (replacing any session it had). */
  signInMiniApp(c: Context, pair: TokenPair, telegramId: number, launch?: Launch): Promise<void>;
  /** The request's live session (tokens refreshed with auth when due), or undefined; asked once a request. */
  current(c: Context): Promise<CurrentSession | undefined>;
  /** The live session's access token, or undefined. */
  accessToken(c: Context): Promise<string | undefined>;
  /** Signs out at auth (its refresh family revoked), drops the session and its cookie. */
  signOut(c: Context): Promise<void>;
}

/**
 * Two cookies, each holding only a random id, HttpOnly (no script reads it), living as long as
 * the session (`ttlSeconds`, auth's refresh token's):
 * - a browser's (`session`): `SameSite=Strict` (no other site's page sends it) and, in
 *   production, `Secure` with the `__Host-` prefix;
 * - a Mini App's (`mini-session`): `SameSite=None; Secure; Partitioned`, so that it is sent
 *   inside Telegram's web client, which shows the Mini App in a cross-site frame; kept apart per
 *   top-level site (web.telegram.org's frame has its own) and `__Host-` in production. Other
 *   sites' requests are refused by the origin check, and a Mini App's session also asks for its
 *   CSRF token (`csrfToken`) on every request that changes something (see app.ts).
 * A Mini App's session wins when a request has both.
 */
export function createSessions(options: {
  store: SessionStore;
  auth: AuthClient;
  production: boolean;
  ttlSeconds: number;
}): Sessions {
  const { store, auth } = options;
  const prefix = options.production ? ('host' as const) : undefined;
  const cookies: Record<SessionKind, { name: string; options: CookieOptions }> = {
    browser: {
      name: 'session',
      options: { path: '/', httpOnly: true, sameSite: 'Strict', secure: options.production, prefix },
    },
    mini_app: {
      name: 'mini-session',
      options: { path: '/', httpOnly: true, sameSite: 'None', secure: true, partitioned: true, prefix },
    },
  };
  const idOf = (c: Context, kind: SessionKind) =>
    prefix ? getCookie(c, cookies[kind].name, prefix) : getCookie(c, cookies[kind].name);
  // A refresh token is spent when used, and auth revokes the session if it is used twice: one
  // refresh at a time per session, in this process (a shared promise) and across replicas (a claim).
  const refreshing = new Map<string, Promise<Session | undefined>>();
  const asked = new WeakMap<Request, Promise<CurrentSession | undefined>>();

  /** Another replica is refreshing: its new tokens, once written (or whatever is left after its claim). */
  async function refreshedElsewhere(id: string): Promise<Session | undefined> {
    const until = Date.now() + REFRESH_CLAIM_MS;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, REFRESH_POLL_MS));
      const session = await store.read(id);
      if (session === undefined || isFresh(session) || Date.now() > until) return session;
    }
  }

  async function renew(id: string, session: Session): Promise<Session | undefined> {
    if (!(await store.claimRefresh(id, REFRESH_CLAIM_MS))) return refreshedElsewhere(id);
    try {
      const renewed = { ...session, ...tokensOf(await auth.refresh(session.refreshToken)) };
      await store.write(id, renewed);
      return renewed;
    } catch (error) {
      if (!(error instanceof ServiceAnswer)) throw error;
      // Auth refused the refresh token (signed out elsewhere, expired): the session is over.
      await store.drop(id);
      return undefined;
    } finally {
      await store.releaseRefresh(id);
    }
  }

  const refresh = (id: string, session: Session): Promise<Session | undefined> => {
    const running = refreshing.get(id);
    if (running) return running;
    const next = renew(id, session).finally(() => refreshing.delete(id));
    refreshing.set(id, next);
    return next;
  };

  /** The live session of the `kind` cookie, refreshed when due; undefined when there is none. */
  async function live(c: Context, kind: SessionKind): Promise<Session | undefined> {
    const id = idOf(c, kind);
    if (id === undefined) return undefined;
    const session = await store.read(id);
    if (session === undefined || session.kind !== kind) return undefined;
    return isFresh(session) ? session : refresh(id, session);
  }

  async function resolve(c: Context): Promise<CurrentSession | undefined> {
    const session = (await live(c, 'mini_app')) ?? (await live(c, 'browser'));
    if (session === undefined) return undefined;
    const { kind, accessToken, telegramId, csrfToken, launch } = session;
    return {
      kind,
      accessToken,
      ...(telegramId ? { telegramId } : {}),
      ...(csrfToken ? { csrfToken } : {}),
      ...(launch ? { launch } : {}),
    };
  }

  /** Drops whatever sessions the request's cookies name, and (unless `keep`) their cookies. */
  async function dropAll(c: Context, keep?: SessionKind) {
    asked.delete(c.req.raw);
    for (const kind of ['browser', 'mini_app'] as const) {
      const id = idOf(c, kind);
      if (id !== undefined) await store.drop(id);
      if (id !== undefined && kind !== keep) deleteCookie(c, cookies[kind].name, cookies[kind].options);
    }
  }

  async function start(c: Context, session: Session) {
    await dropAll(c, session.kind);
    const id = await store.create(session);
    const { name, options: attributes } = cookies[session.kind];
    setCookie(c, name, id, { ...attributes, maxAge: options.ttlSeconds });
  }

  const current = (c: Context) => {
    const known = asked.get(c.req.raw);
    if (known) return known;
    const found = resolve(c);
    asked.set(c.req.raw, found);
    return found;
  };

  return {
    signIn: (c, pair) => start(c, sessionOf(pair)),
    signInMiniApp: (c, pair, telegramId, launch) => start(c, miniAppSessionOf(pair, telegramId, launch)),
    current,
    accessToken: async (c) => (await current(c))?.accessToken,
    async signOut(c) {
      for (const kind of ['mini_app', 'browser'] as const) {
        const id = idOf(c, kind);
        const session = id === undefined ? undefined : await store.read(id);
        if (session === undefined) continue;
        await auth.logout(session.refreshToken).catch((error: unknown) => {
          // A refresh token auth no longer knows is signed out already.
          if (!(error instanceof ServiceAnswer)) throw error;
        });
      }
      await dropAll(c);
    },
  };
}

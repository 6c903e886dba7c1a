import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AuthClient, TokenPair } from '../clients/auth.ts';
import { ServiceAnswer } from '../clients/http.ts';
import { sessionOf, type Session, type SessionStore } from './store.ts';

/** An access token this close to running out is refreshed before it is used. */
const REFRESH_MARGIN_MS = 30_000;
/** How long one replica may take to refresh a session's tokens; the others wait that long at most. */
const REFRESH_CLAIM_MS = 5_000;
const REFRESH_POLL_MS = 50;

const isFresh = (session: Session) => session.accessExpiresAt - REFRESH_MARGIN_MS > Date.now();

/** The signed-in browser's server-side session, behind its cookie. */
export interface Sessions {
  /** Starts a session for `pair` and sets its cookie (replacing any session this browser had). */
  signIn(c: Context, pair: TokenPair): Promise<void>;
  /** A live access token of this browser's session (refreshed with auth when due), or undefined. */
  accessToken(c: Context): Promise<string | undefined>;
  /** Signs out at auth (its refresh family revoked), drops the session and its cookie. */
  signOut(c: Context): Promise<void>;
}

/**
 * The cookie holds only a random id: HttpOnly (no script reads it), `SameSite=Strict` (no other
 * site's page sends it) and, in production, `Secure` with the `__Host-` prefix (HTTPS only, this
 * host only, path /). It lives as long as the session (`ttlSeconds`, auth's refresh token's).
 */
export function createSessions(options: {
  store: SessionStore;
  auth: AuthClient;
  production: boolean;
  ttlSeconds: number;
}): Sessions {
  const { store, auth } = options;
  const cookie = 'session';
  const prefix = options.production ? ('host' as const) : undefined;
  const idOf = (c: Context) => (prefix ? getCookie(c, cookie, prefix) : getCookie(c, cookie));
  // A refresh token is spent when used, and auth revokes the session if it is used twice: one
  // refresh at a time per session, in this process (a shared promise) and across replicas (a claim).
  const refreshing = new Map<string, Promise<Session | undefined>>();

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
      const renewed = sessionOf(await auth.refresh(session.refreshToken));
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

  return {
    async signIn(c, pair) {
      const old = idOf(c);
      if (old !== undefined) await store.drop(old);
      const id = await store.create(sessionOf(pair));
      setCookie(c, cookie, id, {
        path: '/',
        httpOnly: true,
        sameSite: 'Strict',
        secure: options.production,
        maxAge: options.ttlSeconds,
        prefix,
      });
    },
    async accessToken(c) {
      const id = idOf(c);
      if (id === undefined) return undefined;
      const session = await store.read(id);
      if (session === undefined) return undefined;
      if (isFresh(session)) return session.accessToken;
      return (await refresh(id, session))?.accessToken;
    },
    async signOut(c) {
      const id = idOf(c);
      if (id === undefined) return;
      const session = await store.read(id);
      if (session !== undefined) {
        await auth.logout(session.refreshToken).catch((error: unknown) => {
          // A refresh token auth no longer knows is signed out already.
          if (!(error instanceof ServiceAnswer)) throw error;
        });
        await store.drop(id);
      }
      deleteCookie(c, cookie, { path: '/', secure: options.production, prefix });
    },
  };
}

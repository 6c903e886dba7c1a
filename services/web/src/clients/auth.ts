import { z } from 'zod';
import type { ServiceCaller } from './http.ts';

const tokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int().positive(),
});
export type TokenPair = z.infer<typeof tokenPairSchema>;
const registeredSchema = z.object({ id: z.string() });

/** Who a sign-in is for, as auth's per-client limits count it: the browser's address. */
export interface Caller {
  address: string | undefined;
}

/**
 * The address auth charges a sign-in to. Every call comes from this part's own address; auth
 * believes the browser's instead from `X-Forwarded-For` when it trusts one proxy hop
 * (`TRUST_PROXY_HOPS=1`), and the entry is written here, never passed on from the browser.
 */
const forwarded = ({ address }: Caller): Record<string, string> =>
  address ? { 'X-Forwarded-For': address } : {};

/** Auth's routes the storefront signs people in and out with (services/auth/README.md). */
export interface AuthClient {
  /** 409 `email_taken`, 400, 429 are `ServiceAnswer`s. */
  register(email: string, password: string, caller: Caller): Promise<void>;
  /** 401 wrong e-mail or password, 429 too many tries: `ServiceAnswer`s. */
  login(email: string, password: string, caller: Caller): Promise<TokenPair>;
  /** A Mini App's sign-in by its initData; 401 `invalid_init_data`. */
  miniApp(initData: string, caller: Caller): Promise<TokenPair>;
  /** A new pair for the refresh token (which is then spent); 401 when it is no longer valid. */
  refresh(refreshToken: string): Promise<TokenPair>;
  /** Revokes the refresh token's family. */
  logout(refreshToken: string): Promise<void>;
}

export function authClient(auth: ServiceCaller): AuthClient {
  const pair = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    auth.send(tokenPairSchema, path, { method: 'POST', body, headers });
  return {
    async register(email, password, caller) {
      await auth.send(registeredSchema, '/auth/register', {
        method: 'POST',
        body: { email, password },
        headers: forwarded(caller),
      });
    },
    login: (email, password, caller) => pair('/auth/login', { email, password }, forwarded(caller)),
    miniApp: (initData, caller) => pair('/auth/telegram/webapp', { initData }, forwarded(caller)),
    refresh: (refreshToken) => pair('/auth/refresh', { refreshToken }),
    async logout(refreshToken) {
      await auth.send(z.undefined(), '/auth/logout', { method: 'POST', body: { refreshToken } });
    },
  };
}

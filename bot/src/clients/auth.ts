import { z } from 'zod';
import { bearer, createHttpClient, type HttpClientOptions } from './http.ts';

const tokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().positive(),
});
export type TokenPair = z.infer<typeof tokenPairSchema>;

const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.string(),
  telegramId: z.number().nullable(),
});
export type AuthUser = z.infer<typeof userSchema>;

const registeredSchema = z.object({ id: z.string(), email: z.string() });

/** The auth service's routes the bot uses (services/auth). */
export interface AuthClient {
  /** `telegramId`: the user the bot speaks for, so auth limits each user, not the bot as a whole. */
  register(email: string, password: string, telegramId?: number): Promise<{ id: string; email: string }>;
  login(email: string, password: string, telegramId?: number): Promise<TokenPair>;
  refresh(refreshToken: string): Promise<TokenPair>;
  logout(refreshToken: string): Promise<void>;
  me(accessToken: string): Promise<AuthUser>;
  /** Links the chat to the signed-in account; `languageCode` (Telegram's) is what the user is written in. */
  linkTelegram(accessToken: string, telegramId: number, languageCode?: string): Promise<AuthUser>;
  ping(): Promise<void>;
}

export function createAuthClient(
  options: Omit<HttpClientOptions, 'service'> & { serviceToken: string },
): AuthClient {
  const http = createHttpClient({ ...options, service: 'auth' });
  // Auth believes the named user only alongside the bot's own token.
  const onBehalfOf = (telegramId?: number): Record<string, string> =>
    telegramId === undefined
      ? {}
      : { 'X-Service-Token': options.serviceToken, 'X-Client-Id': `telegram:${telegramId}` };
  return {
    register: (email, password, telegramId) =>
      http.json(registeredSchema, '/auth/register', {
        method: 'POST',
        body: { email, password },
        headers: onBehalfOf(telegramId),
      }),
    login: (email, password, telegramId) =>
      http.json(tokenPairSchema, '/auth/login', {
        method: 'POST',
        body: { email, password },
        headers: onBehalfOf(telegramId),
      }),
    refresh: (refreshToken) =>
      http.json(tokenPairSchema, '/auth/refresh', { method: 'POST', body: { refreshToken } }),
    logout: (refreshToken) => http.empty('/auth/logout', { method: 'POST', body: { refreshToken } }),
    me: (accessToken) => http.json(userSchema, '/auth/me', { headers: bearer(accessToken) }),
    linkTelegram: (accessToken, telegramId, languageCode) =>
      http.json(userSchema, '/auth/me/telegram', {
        method: 'PUT',
        body: { telegramId, languageCode },
        headers: { ...bearer(accessToken), 'X-Service-Token': options.serviceToken },
      }),
    ping: () => http.empty('/health'),
  };
}

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
  // Null for an account made by signing in with Telegram.
  email: z.string().nullable(),
  role: z.string(),
  telegramId: z.number().nullable(),
});
export type AuthUser = z.infer<typeof userSchema>;

const registeredSchema = z.object({ id: z.string(), email: z.string() });

/**
 * The Telegram user the bot speaks for, as auth keeps it (see telegram-profile.ts): an absent
 * field leaves what auth stored; `username: null` says there is none.
 */
export interface TelegramProfile {
  telegramId: number;
  languageCode?: string | undefined;
  firstName?: string | undefined;
  username?: string | null | undefined;
}

/** The auth service's routes the bot uses (services/auth). */
export interface AuthClient {
  /** `telegramId`: the user the bot speaks for, so auth limits each user, not the bot as a whole. */
  register(email: string, password: string, telegramId?: number): Promise<{ id: string; email: string }>;
  login(email: string, password: string, telegramId?: number): Promise<TokenPair>;
  refresh(refreshToken: string): Promise<TokenPair>;
  logout(refreshToken: string): Promise<void>;
  me(accessToken: string): Promise<AuthUser>;
  /** Links the chat to the signed-in account and keeps its profile; its language is what the user is written in. */
  linkTelegram(accessToken: string, profile: TelegramProfile): Promise<AuthUser>;
  /** Signs in the account linked to the Telegram user, made on first need (`POST /auth/telegram`). */
  signInWithTelegram(profile: TelegramProfile): Promise<TokenPair>;
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
    linkTelegram: (accessToken, profile) =>
      http.json(userSchema, '/auth/me/telegram', {
        method: 'PUT',
        body: profile,
        headers: { ...bearer(accessToken), 'X-Service-Token': options.serviceToken },
      }),
    signInWithTelegram: (profile) =>
      http.json(tokenPairSchema, '/auth/telegram', {
        method: 'POST',
        body: profile,
        headers: { 'X-Service-Token': options.serviceToken },
      }),
    ping: () => http.empty('/health'),
  };
}

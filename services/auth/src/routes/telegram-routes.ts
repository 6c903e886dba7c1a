import { createRoute, z } from '@hono/zod-openapi';
import {
  AppError,
  checkInitData,
  errorResponses,
  jsonBody,
  jsonResponse,
  type InitDataUser,
  type ServiceApp,
} from '@shop/shared';
import type { MiddlewareHandler } from 'hono';
import type { AuthDeps } from '../deps.ts';
import type { TelegramProfile } from '../domain/telegram-profile.ts';
import { initDataRefused, signInWithTelegram } from '../store/telegram-accounts.ts';
import type { ClientGate } from './client-gate.ts';
import { telegramProfileSchema, tokenPairSchema } from './schemas.ts';

const signInRoute = createRoute({
  method: 'post',
  path: '/auth/telegram',
  tags: ['auth'],
  description:
    'Signs in the Telegram user the bot speaks for: the account linked to that Telegram id, made without e-mail or password if there is none. Keeps the language and names given (an absent field keeps the stored one; `username: null` clears it). Only the bot may call it (X-Service-Token; a wrong or missing one is 403, and repeated wrong ones lock the address out with 429).',
  request: { body: jsonBody(telegramProfileSchema) },
  responses: {
    200: jsonResponse(tokenPairSchema, 'Signed in to the account linked to this Telegram id'),
    201: jsonResponse(tokenPairSchema, 'A new account linked to this Telegram id, signed in'),
    ...errorResponses(400, 403, 413, 415, 429),
  },
});

const initDataSchema = z
  .strictObject({
    initData: z
      .string()
      .min(1)
      .max(8192)
      .openapi({ description: 'Telegram.WebApp.initData, exactly as the Mini App got it' }),
  })
  .openapi('MiniAppSignIn');

const miniAppRoute = createRoute({
  method: 'post',
  path: '/auth/telegram/webapp',
  tags: ['auth'],
  description:
    "Signs in the Telegram user a Mini App was opened by, the same account `POST /auth/telegram` gives the bot for that id (made if there is none). `initData` is checked as Telegram documents it (HMAC-SHA-256 under a key made from the bot's token) and must be at most WEBAPP_AUTH_MAX_AGE_SECONDS old and issued after the account's last sign-out: otherwise 401 `invalid_init_data`, and nothing is made. Limited like the other sign-ins (429 with Retry-After); 503 when auth has no TELEGRAM_BOT_TOKEN.",
  request: { body: jsonBody(initDataSchema) },
  responses: {
    200: jsonResponse(tokenPairSchema, 'Signed in to the account linked to this Telegram user'),
    201: jsonResponse(tokenPairSchema, 'A new account linked to this Telegram user, signed in'),
    ...errorResponses(400, 401, 413, 415, 429, 503),
  },
});

/** Telegram may allow more than the bot's profile rules take: a field that breaks them is left out. */
const fieldOf = <T>(schema: z.ZodType<T>, value: unknown): T | undefined => {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

/** The profile initData's user gives; it is the whole profile, so no username means none. */
const profileOf = (user: InitDataUser): TelegramProfile => {
  const fields = telegramProfileSchema.shape;
  return {
    telegramId: user.id,
    languageCode: fieldOf(fields.languageCode, user.language_code),
    firstName: fieldOf(fields.firstName, user.first_name),
    username: user.username === undefined ? null : fieldOf(fields.username, user.username),
  };
};

/** How far ahead of this machine's clock Telegram's may be. */
const CLOCK_SKEW_SECONDS = 60;

const refusals = {
  malformed: 'initData is not what Telegram sends a Mini App (a hash, a user and auth_date)',
  bad_hash: "initData is not signed by Telegram with this shop's bot",
  expired: 'initData is too old: reopen the Mini App',
  from_the_future: 'initData is dated in the future',
} as const;

const notConfigured = () =>
  new AppError(
    503,
    'mini_app_unavailable',
    'Mini App sign-in is not set up on this shop (TELEGRAM_BOT_TOKEN)',
  );

/** `POST /auth/telegram` (the bot) and `POST /auth/telegram/webapp` (a Mini App): one use case, `signInWithTelegram`. */
export function registerTelegramRoutes(app: ServiceApp, deps: AuthDeps, gate: ClientGate): void {
  // Before the body is read: a caller without the token learns nothing from validation errors.
  const onlyTheBot: MiddlewareHandler = async (c, next) => {
    await gate.requireService(c);
    await next();
  };
  app.openapi({ ...signInRoute, middleware: [onlyTheBot] as const }, async (c) => {
    const { pair, created } = await signInWithTelegram(deps, c.req.valid('json'));
    return created ? c.json(pair, 201) : c.json(pair, 200);
  });

  app.openapi(miniAppRoute, async (c) => {
    const { miniApp } = deps;
    if (!miniApp) throw notConfigured();
    const check = checkInitData(c.req.valid('json').initData, miniApp.key, {
      maxAgeSeconds: miniApp.maxAgeSeconds,
      skewSeconds: CLOCK_SKEW_SECONDS,
      now: Math.floor(Date.now() / 1000),
    });
    // A proven user is charged as that user; anything else as the address it came from.
    await gate.chargeSignIn(c, check.ok ? check.user.id : undefined);
    if (!check.ok) throw initDataRefused(refusals[check.reason]);
    const { pair, created } = await signInWithTelegram(deps, profileOf(check.user), {
      issuedAt: new Date(check.authDate * 1000),
    });
    return created ? c.json(pair, 201) : c.json(pair, 200);
  });
}

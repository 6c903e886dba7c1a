import { createRoute } from '@hono/zod-openapi';
import { errorResponses, jsonBody, jsonResponse, type ServiceApp } from '@shop/shared';
import type { MiddlewareHandler } from 'hono';
import type { AuthDeps } from '../deps.ts';
import { signInWithTelegram } from '../store/telegram-accounts.ts';
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

/** `POST /auth/telegram`. The Mini App's sign-in will take the same use case, `signInWithTelegram`. */
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
}

import { createRoute } from '@hono/zod-openapi';
import {
  createAccessTokenVerifier,
  errorResponses,
  jsonBody,
  jsonResponse,
  requireAuth,
  type ServiceApp,
} from '@shop/shared';
import type { AuthDeps } from '../deps.ts';
import { getUser, login, register } from '../store/accounts.ts';
import { logout, refresh } from '../store/sessions.ts';
import { linkTelegram } from '../store/telegram-accounts.ts';
import type { ClientGate } from './client-gate.ts';
import {
  credentialsSchema,
  loginSchema,
  refreshSchema,
  registeredSchema,
  telegramProfileSchema,
  tokenPairSchema,
  userSchema,
} from './schemas.ts';

const tags = ['auth'];

const registerRoute = createRoute({
  method: 'post',
  path: '/auth/register',
  tags,
  description:
    'Limited per client and in total (429 with Retry-After); 503 with Retry-After while too many passwords are being checked. The bot may name the end user it calls for with X-Client-Id: telegram:<id>, believed only with its X-Service-Token.',
  request: { body: jsonBody(credentialsSchema) },
  responses: {
    201: jsonResponse(registeredSchema, 'Account created'),
    ...errorResponses(400, 403, 409, 413, 429, 503),
  },
});
const loginRoute = createRoute({
  method: 'post',
  path: '/auth/login',
  tags,
  description:
    'Limited per client and in total (429 with Retry-After); 503 with Retry-After while too many passwords are being checked. The bot may name the end user it calls for with X-Client-Id: telegram:<id>, believed only with its X-Service-Token.',
  request: { body: jsonBody(loginSchema) },
  responses: { 200: jsonResponse(tokenPairSchema, 'Signed in'), ...errorResponses(400, 401, 403, 429, 503) },
});
const refreshRoute = createRoute({
  method: 'post',
  path: '/auth/refresh',
  tags,
  request: { body: jsonBody(refreshSchema) },
  responses: {
    200: jsonResponse(tokenPairSchema, 'A new token pair; the old refresh token is spent'),
    ...errorResponses(400, 401),
  },
});
const logoutRoute = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags,
  request: { body: jsonBody(refreshSchema) },
  responses: {
    204: { description: 'Signed out: the refresh token and its family are revoked' },
    ...errorResponses(400),
  },
});
const meRoute = createRoute({
  method: 'get',
  path: '/auth/me',
  tags,
  security: [{ bearer: [] }],
  responses: { 200: jsonResponse(userSchema, 'The signed-in user'), ...errorResponses(401, 404) },
});
const linkRoute = createRoute({
  method: 'put',
  path: '/auth/me/telegram',
  tags,
  security: [{ bearer: [] }],
  description:
    'Links the Telegram account the bot is talking to, and keeps its language and names. Only the bot may call it (X-Service-Token). A Telegram-only account holding the link gives it up; an e-mail account holding it keeps it (409 telegram_linked_elsewhere).',
  request: { body: jsonBody(telegramProfileSchema) },
  responses: { 200: jsonResponse(userSchema, 'Linked'), ...errorResponses(400, 401, 403, 409, 429) },
});

/**
 * The JWKS, `/auth/register`, `/auth/login`, `/auth/refresh`, `/auth/logout`, `/auth/me` and
 * `/auth/me/telegram`. `gate` says who is calling: rate limits and the bot's service token.
 */
export function registerAuthRoutes(app: ServiceApp, deps: AuthDeps, gate: ClientGate): void {
  const verify = createAccessTokenVerifier(deps.keys.getKey, deps.tokens);
  const authenticated = requireAuth(verify);

  app.get('/.well-known/jwks.json', (c) =>
    c.json(deps.keys.jwks, 200, { 'Cache-Control': 'public, max-age=300' }),
  );

  app.openapi(registerRoute, async (c) => {
    const { email, password } = c.req.valid('json');
    await gate.passwordClient(c);
    const user = await register(deps, email, password);
    return c.json({ id: user.id, email: user.email }, 201);
  });
  app.openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid('json');
    const client = await gate.passwordClient(c);
    return c.json(await login(deps, email, password, client), 200);
  });
  app.openapi(refreshRoute, async (c) => c.json(await refresh(deps, c.req.valid('json').refreshToken), 200));
  app.openapi(logoutRoute, async (c) => {
    await logout(deps, c.req.valid('json').refreshToken);
    return c.body(null, 204);
  });
  app.openapi({ ...meRoute, middleware: [authenticated] as const }, async (c) =>
    c.json(await getUser(deps, c.var.user.sub), 200),
  );
  app.openapi({ ...linkRoute, middleware: [authenticated] as const }, async (c) => {
    await gate.requireService(c);
    return c.json(await linkTelegram(deps, c.var.user.sub, c.req.valid('json')), 200);
  });
}

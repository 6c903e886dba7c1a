import { createRoute } from '@hono/zod-openapi';
import { errorResponses, jsonBody, jsonResponse, notFound, type ServiceApp } from '@shop/shared';
import type { World } from '../world/index.ts';
import {
  chargeListSchema,
  chargesQuerySchema,
  preCheckoutListSchema,
  starsAnswerSchema,
  starsSchema,
  userParamsSchema,
} from './payment-schemas.ts';
import { chatQuerySchema } from './schemas.ts';

const tags = ['sandbox payments'];
const readStarsRoute = createRoute({
  method: 'get',
  path: '/sandbox/api/users/{userId}/stars',
  tags,
  description: "The user's Telegram Stars; every user starts with 10 000.",
  request: { params: userParamsSchema },
  responses: { 200: jsonResponse(starsAnswerSchema, 'The balance'), ...errorResponses(400, 404) },
});
const setStarsRoute = createRoute({
  method: 'put',
  path: '/sandbox/api/users/{userId}/stars',
  tags,
  description: "Sets the user's Telegram Stars (as if they bought some, or spent them elsewhere).",
  request: { params: userParamsSchema, body: jsonBody(starsSchema) },
  responses: { 200: jsonResponse(starsAnswerSchema, 'Set'), ...errorResponses(400, 404) },
});
const chargesRoute = createRoute({
  method: 'get',
  path: '/sandbox/api/charges',
  tags,
  description:
    'Every charge Telegram made (Stars and card), oldest first, with `refundedAt` once refundStarPayment gave it back.',
  request: { query: chargesQuerySchema },
  responses: { 200: jsonResponse(chargeListSchema, 'Charges'), ...errorResponses(400) },
});
const preCheckoutRoute = createRoute({
  method: 'get',
  path: '/sandbox/api/pre-checkout-queries',
  tags,
  description:
    'Every pre_checkout_query sent to the bot, oldest first: when it was sent, and how and when the bot answered it (or that it expired).',
  request: { query: chatQuerySchema },
  responses: { 200: jsonResponse(preCheckoutListSchema, 'Pre-checkout queries'), ...errorResponses(400) },
});

/** Stars balances, and what was charged and asked. */
export function registerLedgerRoutes(app: ServiceApp, world: World): void {
  const userOf = (userId: number) => {
    const chat = world.chats.get(userId);
    if (!chat) throw notFound(`User ${userId}`);
    return chat.user;
  };

  app.openapi(readStarsRoute, (c) => {
    const { id } = userOf(c.req.valid('param').userId);
    return c.json({ userId: id, balance: world.stars.balance(id) }, 200);
  });

  app.openapi(setStarsRoute, (c) => {
    const { id } = userOf(c.req.valid('param').userId);
    world.stars.setBalance(id, c.req.valid('json').balance);
    return c.json({ userId: id, balance: world.stars.balance(id) }, 200);
  });

  app.openapi(chargesRoute, (c) =>
    c.json({ charges: world.stars.charges(c.req.valid('query').userId) }, 200),
  );

  app.openapi(preCheckoutRoute, (c) =>
    c.json({ queries: world.preCheckout.list(c.req.valid('query').chatId) }, 200),
  );
}

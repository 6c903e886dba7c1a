import { createRoute } from '@hono/zod-openapi';
import { errorResponses, jsonBody, jsonResponse, notFound, type ServiceApp } from '@shop/shared';
import type { World } from '../world/index.ts';
import { blockedSchema, chatParamsSchema, throttleSchema } from './schemas.ts';

const tags = ['sandbox'];
const blockRoute = createRoute({
  method: 'put',
  path: '/sandbox/api/chats/{chatId}/blocked',
  tags,
  description:
    'The user blocks (or unblocks) the bot: while blocked, every Bot API call about their chat is answered 403 "Forbidden: bot was blocked by the user".',
  request: { params: chatParamsSchema, body: jsonBody(blockedSchema) },
  responses: { 200: jsonResponse(blockedSchema, 'Done'), ...errorResponses(400, 404) },
});
const throttleRoute = createRoute({
  method: 'put',
  path: '/sandbox/api/throttle',
  tags,
  description:
    "Telegram's flood control: the next `calls` Bot API calls about a chat (sendMessage, sendPhoto, edits, ...) are answered 429 with `parameters.retry_after` = `retryAfter`.",
  request: { body: jsonBody(throttleSchema) },
  responses: { 200: jsonResponse(throttleSchema, 'Set'), ...errorResponses(400) },
});

/** How Telegram refuses a bot: a user who blocked it, and flood control. */
export function registerRefusalRoutes(app: ServiceApp, world: World): void {
  app.openapi(blockRoute, (c) => {
    const chatId = c.req.valid('param').chatId;
    const chat = world.chats.get(chatId);
    if (!chat) throw notFound(`User ${chatId}`);
    chat.blocked = c.req.valid('json').blocked;
    return c.json({ blocked: chat.blocked }, 200);
  });

  app.openapi(throttleRoute, (c) => {
    const { calls, retryAfter } = c.req.valid('json');
    world.throttle.set(calls, retryAfter);
    return c.json({ calls, retryAfter }, 200);
  });
}

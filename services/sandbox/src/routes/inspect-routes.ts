import { createRoute } from '@hono/zod-openapi';
import { errorResponses, jsonResponse, notFound, type ServiceApp } from '@shop/shared';
import type { World } from '../world/index.ts';
import {
  callbackListSchema,
  callListSchema,
  callsQuerySchema,
  chatParamsSchema,
  chatQuerySchema,
  commandListSchema,
} from './schemas.ts';

const tags = ['sandbox'];
const callsRoute = createRoute({
  method: 'get',
  path: '/sandbox/api/calls',
  tags,
  description: 'Every Bot API call the sandbox answered, oldest first (the last 10 000).',
  request: { query: callsQuerySchema },
  responses: { 200: jsonResponse(callListSchema, 'Calls'), ...errorResponses(400) },
});
const callbacksRoute = createRoute({
  method: 'get',
  path: '/sandbox/api/callbacks',
  tags,
  description: 'Every inline button press and whether the bot answered it.',
  request: { query: chatQuerySchema },
  responses: { 200: jsonResponse(callbackListSchema, 'Callback queries'), ...errorResponses(400) },
});
const commandsRoute = createRoute({
  method: 'get',
  path: '/sandbox/api/chats/{chatId}/commands',
  tags,
  description: "The command menu this user's client shows (setMyCommands by scope and language).",
  request: { params: chatParamsSchema },
  responses: { 200: jsonResponse(commandListSchema, 'Commands'), ...errorResponses(400, 404) },
});
const resetRoute = createRoute({
  method: 'post',
  path: '/sandbox/api/reset',
  tags,
  description:
    "Forgets users, chats, pending updates, callback queries, calls and files. The bot's webhook, commands and allowed updates stay; update ids keep growing.",
  responses: { 204: { description: 'Reset' } },
});

/** What tests look at: calls, callback queries, command menus; and a reset between tests. */
export function registerInspectRoutes(app: ServiceApp, world: World): void {
  app.openapi(callsRoute, (c) => {
    const { method, chatId } = c.req.valid('query');
    return c.json(
      {
        calls: world.calls.list({
          ...(method ? { method } : {}),
          ...(chatId === undefined ? {} : { chatId }),
        }),
      },
      200,
    );
  });

  app.openapi(callbacksRoute, (c) =>
    c.json({ callbacks: world.callbacks.list(c.req.valid('query').chatId) }, 200),
  );

  app.openapi(commandsRoute, (c) => {
    const chatId = c.req.valid('param').chatId;
    const chat = world.chats.get(chatId);
    if (!chat) throw notFound(`User ${chatId}`);
    return c.json({ commands: world.commands.forChat(chatId, chat.user.languageCode.slice(0, 2)) }, 200);
  });

  app.openapi(resetRoute, (c) => {
    world.reset();
    return c.body(null, 204);
  });
}

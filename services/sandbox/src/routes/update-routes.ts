import { createRoute } from '@hono/zod-openapi';
import { errorResponses, jsonResponse, notFound, type ServiceApp } from '@shop/shared';
import type { World } from '../world/index.ts';
import { redeliveredSchema, updateListSchema, updateParamsSchema } from './payment-schemas.ts';

const tags = ['sandbox'];
const listRoute = createRoute({
  method: 'get',
  path: '/sandbox/api/updates',
  tags,
  description:
    'The updates made for the bot (the last 10 000), oldest first, and which still wait to be confirmed.',
  responses: { 200: jsonResponse(updateListSchema, 'Updates') },
});
const redeliverRoute = createRoute({
  method: 'post',
  path: '/sandbox/api/updates/{updateId}/redeliver',
  tags,
  description:
    'Telegram delivers an update again, with the same update_id, as it does when it was not confirmed (the bot died before its next getUpdates offset, or the webhook timed out): it goes to the webhook again, or to the next getUpdates whatever offset that call brings.',
  request: { params: updateParamsSchema },
  responses: { 200: jsonResponse(redeliveredSchema, 'Queued again'), ...errorResponses(400, 404) },
});

/** The bot's updates, and delivering one again. */
export function registerUpdateRoutes(app: ServiceApp, world: World): void {
  app.openapi(listRoute, (c) => c.json({ updates: world.updates.history() }, 200));

  app.openapi(redeliverRoute, (c) => {
    const updateId = c.req.valid('param').updateId;
    const update = world.updates.redeliver(updateId);
    if (!update) throw notFound(`Update ${updateId}`);
    return c.json({ update }, 200);
  });
}

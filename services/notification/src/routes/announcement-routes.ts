import { createRoute } from '@hono/zod-openapi';
import {
  errorResponses,
  jsonBody,
  jsonResponse,
  requireRole,
  type Authenticator,
  type ServiceApp,
  type ServiceEntityManager,
} from '@shop/shared';
import { createAnnouncement, getAnnouncement } from '../store/announcements.ts';
import {
  announcementHeadersSchema,
  announcementParamsSchema,
  announcementRequestSchema,
  announcementSchema,
} from './announcement-schemas.ts';

const tags = ['announcements'];
const security = [{ bearer: [] }];

const createAnnouncementRoute = createRoute({
  method: 'post',
  path: '/admin/announcements',
  tags,
  security,
  description:
    "Sends a text, or a photo the bot received with an optional caption, once to every buyer whose chat is known and has not blocked the bot, at Telegram's pace. The admin's linked chat gets a progress message (sent / failed / left), edited as it goes, and the final count. The Idempotency-Key makes a repeat (a double tap) return the first announcement; another body under the same key is 422.",
  request: { body: jsonBody(announcementRequestSchema), headers: announcementHeadersSchema },
  responses: {
    201: jsonResponse(
      announcementSchema,
      'Announced, or the announcement made earlier with this Idempotency-Key',
    ),
    ...errorResponses(400, 401, 403, 413, 422, 503),
  },
});
const getAnnouncementRoute = createRoute({
  method: 'get',
  path: '/admin/announcements/{id}',
  tags,
  security,
  request: { params: announcementParamsSchema },
  responses: {
    200: jsonResponse(announcementSchema, 'How far it got'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export interface AnnouncementRouteDeps {
  em: ServiceEntityManager;
  /** Tells the sender there is something to send. */
  wake: () => void;
}

/** `POST /admin/announcements` and `GET /admin/announcements/{id}`: admins only. */
export function registerAnnouncementRoutes(
  app: ServiceApp,
  { em, wake }: AnnouncementRouteDeps,
  authenticate: Authenticator,
): void {
  const middleware = [authenticate, requireRole('admin')];
  app.openapi({ ...createAnnouncementRoute, middleware }, async (c) => {
    const { view, created } = await createAnnouncement(
      em.fork(),
      c.var.user.sub,
      c.req.valid('header')['idempotency-key'],
      c.req.valid('json'),
    );
    if (created) wake();
    return c.json(view, 201, { Location: `/admin/announcements/${view.id}` });
  });
  app.openapi({ ...getAnnouncementRoute, middleware }, async (c) =>
    c.json(await getAnnouncement(em.fork(), Number(c.req.valid('param').id)), 200),
  );
}

import { createRoute } from '@hono/zod-openapi';
import {
  errorResponses,
  jsonResponse,
  emptyBodyIsNone,
  optionalJsonBody,
  requireRole,
  type Authenticator,
  type ServiceApp,
} from '@shop/shared';
import type { OrderDeps } from '../deps.ts';
import { deliverOrder, shipOrder } from '../store/order-actions.ts';
import { getAdminOrder, listAdminOrders } from '../store/order-queries.ts';
import {
  adminOrderListQuerySchema,
  adminOrderPageSchema,
  adminOrderSchema,
  shipRequestSchema,
} from './admin-schemas.ts';
import { orderIdParamsSchema } from './schemas.ts';

const tags = ['orders admin'];
const security = [{ bearer: [] }];
const refused = (...statuses: number[]) => errorResponses(400, 401, 403, ...statuses);

const listRoute = createRoute({
  method: 'get',
  path: '/admin/orders',
  tags,
  security,
  description:
    "Every buyer's orders, newest first (`status` picks those in one status), with what the merchant needs: lines, total, buyer, delivery details, status history, notes.",
  request: { query: adminOrderListQuerySchema },
  responses: { 200: jsonResponse(adminOrderPageSchema, 'A page of orders'), ...refused() },
});
const getRoute = createRoute({
  method: 'get',
  path: '/admin/orders/{id}',
  tags,
  security,
  description:
    "Any buyer's order as `GET /orders/{id}` shows it to its buyer, with `userId` and the delivery details: the card an admin opens from the alert of a paid order.",
  request: { params: orderIdParamsSchema },
  responses: { 200: jsonResponse(adminOrderSchema, 'The order'), ...refused(404) },
});
const shipRoute = createRoute({
  method: 'post',
  path: '/orders/{id}/ship',
  tags,
  security,
  description:
    "Marks a paid order shipped, with a `trackingNote` for the buyer if you like; the buyer is told, in their language. 409 invalid_transition (the order's `status` in `details`) for an order that is not paid, or shipped already: of two admins shipping one order at once, exactly one does.",
  request: { params: orderIdParamsSchema, body: optionalJsonBody(shipRequestSchema) },
  responses: {
    200: jsonResponse(adminOrderSchema, 'The order, shipped'),
    ...refused(404, 409, 413, 415),
  },
});
const deliverRoute = createRoute({
  method: 'post',
  path: '/orders/{id}/deliver',
  tags,
  security,
  description:
    "Marks a shipped order delivered; the buyer is told. 409 invalid_transition (the order's `status` in `details`) for an order that is not shipped.",
  request: { params: orderIdParamsSchema },
  responses: { 200: jsonResponse(adminOrderSchema, 'The order, delivered'), ...refused(404, 409) },
});

/** The merchant's desk: `GET /admin/orders`, `GET /admin/orders/{id}`, `POST /orders/{id}/ship`, `POST /orders/{id}/deliver`; admins only (403 otherwise). */
export function registerAdminOrderRoutes(
  app: ServiceApp,
  deps: OrderDeps,
  authenticated: Authenticator,
): void {
  const middleware = [authenticated, requireRole('admin')];
  app.openapi({ ...listRoute, middleware }, async (c) =>
    c.json(await listAdminOrders(deps.em.fork(), c.req.valid('query')), 200),
  );
  app.openapi({ ...getRoute, middleware }, async (c) =>
    c.json(await getAdminOrder(deps.em.fork(), Number(c.req.valid('param').id)), 200),
  );
  app.openapi({ ...shipRoute, middleware: [...middleware, emptyBodyIsNone] }, async (c) =>
    c.json(await shipOrder(deps, Number(c.req.valid('param').id), c.req.valid('json').trackingNote), 200),
  );
  app.openapi({ ...deliverRoute, middleware }, async (c) =>
    c.json(await deliverOrder(deps, Number(c.req.valid('param').id)), 200),
  );
}

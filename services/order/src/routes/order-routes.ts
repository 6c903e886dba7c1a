import { createRoute, z } from '@hono/zod-openapi';
import {
  errorResponses,
  jsonBody,
  jsonResponse,
  emptyBodyIsNone,
  optionalJsonBody,
  type Authenticator,
  type ServiceApp,
} from '@shop/shared';
import type { OrderDeps } from '../deps.ts';
import { cancelOrder } from '../store/order-actions.ts';
import { getOrder, listOrders } from '../store/order-queries.ts';
import { placeOrder } from '../store/place-order.ts';
import { adminOrderSchema } from './admin-schemas.ts';
import {
  cancelRequestSchema,
  idempotencyHeadersSchema,
  orderDetailSchema,
  orderIdParamsSchema,
  orderListQuerySchema,
  orderPageSchema,
  orderRequestSchema,
  orderSchema,
} from './schemas.ts';

const tags = ['orders'];
const security = [{ bearer: [] }];

const createOrderRoute = createRoute({
  method: 'post',
  path: '/orders',
  tags,
  security,
  description:
    'Places an order priced by the catalog: of `items`, or of your cart (`fromCart: true`, which needs `delivery` and empties the cart with the same commit; 409 cart_empty for an empty cart, 409 product_unavailable naming a product the catalog no longer sells). Send an Idempotency-Key to make retries safe, and expectedTotalCents to be refused (409 price_changed) rather than charged another total.',
  request: { body: jsonBody(orderRequestSchema), headers: idempotencyHeadersSchema },
  responses: {
    201: jsonResponse(orderSchema, 'Order placed, or the first response to this Idempotency-Key'),
    ...errorResponses(400, 401, 404, 409, 413, 422, 503),
  },
});
const listOrdersRoute = createRoute({
  method: 'get',
  path: '/orders',
  tags,
  security,
  request: { query: orderListQuerySchema },
  responses: { 200: jsonResponse(orderPageSchema, 'Your orders, newest first'), ...errorResponses(400, 401) },
});
const getOrderRoute = createRoute({
  method: 'get',
  path: '/orders/{id}',
  tags,
  security,
  request: { params: orderIdParamsSchema },
  responses: { 200: jsonResponse(orderDetailSchema, 'One of your orders'), ...errorResponses(400, 401, 404) },
});
const cancelOrderRoute = createRoute({
  method: 'post',
  path: '/orders/{id}/cancel',
  tags,
  security,
  description:
    "Cancels an order, with a `note` saying why if you like. A buyer cancels one of their own that is not paid yet (pending or awaiting payment; `cancelReason` buyer): its reserved stock is released. An admin cancels any order not delivered yet (`cancelReason` merchant): a paid or shipped one is refunded and its units go back on hand, and the buyer is told, with the note. 409 invalid_transition (with the order's `status` in `details`) for an order that can no longer be cancelled.",
  request: { params: orderIdParamsSchema, body: optionalJsonBody(cancelRequestSchema) },
  responses: {
    200: jsonResponse(
      z.union([orderDetailSchema, adminOrderSchema]),
      'The order, cancelled: as its buyer sees it, or to an admin as `GET /admin/orders` lists it',
    ),
    ...errorResponses(400, 401, 404, 409, 413, 415),
  },
});

/** `POST /orders`, `GET /orders`, `GET /orders/{id}`, `POST /orders/{id}/cancel`: the buyer's own orders. */
export function registerOrderRoutes(app: ServiceApp, deps: OrderDeps, authenticated: Authenticator): void {
  app.openapi({ ...createOrderRoute, middleware: [authenticated] as const }, async (c) => {
    const response = await placeOrder(deps, {
      userId: c.var.user.sub,
      request: c.req.valid('json'),
      idempotencyKey: c.req.valid('header')['idempotency-key'],
      acceptLanguage: c.req.header('Accept-Language'),
    });
    return c.json(response.body as never, response.status);
  });
  app.openapi({ ...listOrdersRoute, middleware: [authenticated] as const }, async (c) => {
    const { page, limit } = c.req.valid('query');
    return c.json(await listOrders(deps.em.fork(), c.var.user.sub, page, limit), 200);
  });
  app.openapi({ ...getOrderRoute, middleware: [authenticated] as const }, async (c) =>
    c.json(await getOrder(deps.em.fork(), c.var.user.sub, Number(c.req.valid('param').id)), 200),
  );
  app.openapi({ ...cancelOrderRoute, middleware: [authenticated, emptyBodyIsNone] as const }, async (c) =>
    c.json(
      await cancelOrder(deps, c.var.user, Number(c.req.valid('param').id), c.req.valid('json').note),
      200,
    ),
  );
}

import { createRoute } from '@hono/zod-openapi';
import { errorResponses, jsonResponse, type Authenticator, type ServiceApp } from '@shop/shared';
import type { PaymentDeps } from '../deps.ts';
import { listPayments } from '../store/payment-queries.ts';
import { paymentListSchema, paymentQuerySchema } from './schemas.ts';

const listPaymentsRoute = createRoute({
  method: 'get',
  path: '/payments',
  tags: ['payments'],
  security: [{ bearer: [] }],
  description:
    'The payments of one of your orders: the one taken for it, and any other you paid for it that ' +
    'is given back (`refund_pending`, `refunded`). Empty while the order is not charged yet, and ' +
    "for an order that does not exist or is someone else's: the answer never tells them apart.",
  request: { query: paymentQuerySchema },
  responses: {
    200: jsonResponse(paymentListSchema, 'Payments of the order'),
    ...errorResponses(400, 401),
  },
});

/** `GET /payments?orderId=`: the buyer's own payments. */
export function registerPaymentRoutes(app: ServiceApp, deps: PaymentDeps, authenticate: Authenticator): void {
  app.openapi({ ...listPaymentsRoute, middleware: [authenticate] as const }, async (c) => {
    const orderId = Number(c.req.valid('query').orderId);
    return c.json(await listPayments(deps.em.fork(), c.var.user.sub, orderId), 200);
  });
}

import { createRoute } from '@hono/zod-openapi';
import { errorResponses, jsonResponse, requireRole, type Authenticator, type ServiceApp } from '@shop/shared';
import type { PaymentDeps } from '../deps.ts';
import { adminPaymentView, listAdminPayments } from '../store/payment-queries.ts';
import { markRefundedByAdmin } from '../store/refunds.ts';
import {
  adminPaymentPageSchema,
  adminPaymentQuerySchema,
  adminPaymentSchema,
  paymentIdParamsSchema,
} from './schemas.ts';

const tags = ['payments admin'];
const security = [{ bearer: [] }];

const listRoute = createRoute({
  method: 'get',
  path: '/admin/payments',
  tags,
  security,
  description:
    "Every payment, newest first; `status=refund_pending` lists the money owed back. A provider payment (`telegram`) waits there until you refund it in the provider's dashboard (find it by `providerPaymentChargeId`) and mark it refunded; Stars payments are refunded by the shop itself, so `status=refund_pending&method=telegram` lists the refunds to make by hand.",
  request: { query: adminPaymentQuerySchema },
  responses: {
    200: jsonResponse(adminPaymentPageSchema, 'A page of payments'),
    ...errorResponses(400, 401, 403),
  },
});

const markRefundedRoute = createRoute({
  method: 'post',
  path: '/admin/payments/{id}/refunded',
  tags,
  security,
  description:
    "Marks a provider payment owed back as refunded, once you gave the money back in the provider's dashboard: the buyer is told. Marked again: 200, unchanged, nobody told twice. 409 invalid_transition (`status` and `method` in `details`) for a payment not owed back, or a Stars one (the shop refunds those through Telegram).",
  request: { params: paymentIdParamsSchema },
  responses: {
    200: jsonResponse(adminPaymentSchema, 'The payment, refunded'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** The merchant's refunds desk: `GET /admin/payments`, `POST /admin/payments/{id}/refunded`; admins only (403 otherwise). */
export function registerAdminPaymentRoutes(
  app: ServiceApp,
  deps: PaymentDeps,
  authenticate: Authenticator,
): void {
  const middleware = [authenticate, requireRole('admin')];
  app.openapi({ ...listRoute, middleware }, async (c) =>
    c.json(await listAdminPayments(deps.em.fork(), c.req.valid('query')), 200),
  );
  app.openapi({ ...markRefundedRoute, middleware }, async (c) =>
    c.json(adminPaymentView(await markRefundedByAdmin(deps.em, c.req.valid('param').id)), 200),
  );
}

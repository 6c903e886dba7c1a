import { createRoute } from '@hono/zod-openapi';
import {
  createServiceApp,
  errorResponses,
  jsonResponse,
  type Authenticator,
  type Logger,
  type ReadinessCheck,
} from '@shop/shared';
import type { PaymentDeps } from './domain/deps.ts';
import { listPayments } from './domain/payment-queries.ts';
import { paymentListSchema, paymentQuerySchema } from './routes/schemas.ts';

const listPaymentsRoute = createRoute({
  method: 'get',
  path: '/payments',
  tags: ['payments'],
  security: [{ bearer: [] }],
  description:
    'The payment of one of your orders, as a list of at most one. Empty while the order is not ' +
    "charged yet, and for an order that does not exist or is someone else's: the answer never " +
    'tells them apart.',
  request: { query: paymentQuerySchema },
  responses: {
    200: jsonResponse(paymentListSchema, 'Payments of the order'),
    ...errorResponses(400, 401),
  },
});

export interface PaymentAppOptions {
  deps: PaymentDeps;
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  /** Admits requests with a valid access token (`createAuthenticator`). */
  authenticate: Authenticator;
  bodyLimitBytes?: number;
}

/** The payment HTTP API. Builds no connections: everything arrives in `deps`. */
export function createApp({ deps, logger, readiness, authenticate, bodyLimitBytes }: PaymentAppOptions) {
  const app = createServiceApp({ service: 'payment', logger, readiness, bodyLimitBytes });

  app.openapi({ ...listPaymentsRoute, middleware: [authenticate] as const }, async (c) => {
    const orderId = Number(c.req.valid('query').orderId);
    return c.json(await listPayments(deps.em.fork(), c.var.user.sub, orderId), 200);
  });
  return app;
}

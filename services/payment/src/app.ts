import { createRoute } from '@hono/zod-openapi';
import {
  createAccessTokenVerifier,
  createServiceApp,
  errorResponses,
  jsonResponse,
  requireAuth,
  type ReadinessCheck,
  type VerifierOptions,
} from '@shop/shared';
import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
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
  /** Where access token keys come from: auth's JWKS in production, a test issuer in tests. */
  keys: JWTVerifyGetKey;
  tokens: VerifierOptions;
  bodyLimitBytes?: number;
}

/** The payment HTTP API. Builds no connections: everything arrives in `deps`. */
export function createApp({ deps, logger, readiness, keys, tokens, bodyLimitBytes }: PaymentAppOptions) {
  const app = createServiceApp({ service: 'payment', logger, readiness, bodyLimitBytes });
  const authenticated = requireAuth(createAccessTokenVerifier(keys, tokens));

  app.openapi({ ...listPaymentsRoute, middleware: [authenticated] as const }, async (c) => {
    const orderId = Number(c.req.valid('query').orderId);
    return c.json(await listPayments(deps.em.fork(), c.var.user.sub, orderId), 200);
  });
  return app;
}

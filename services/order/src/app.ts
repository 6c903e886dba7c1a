import { createServiceApp, type Authenticator, type Logger, type ReadinessCheck } from '@shop/shared';
import type { OrderDeps } from './deps.ts';
import { registerAdminOrderRoutes } from './routes/admin-order-routes.ts';
import { registerAdminStatsRoutes } from './routes/admin-stats-routes.ts';
import { registerCartRoutes } from './routes/cart-routes.ts';
import { registerOrderRoutes } from './routes/order-routes.ts';

export interface OrderAppOptions {
  deps: OrderDeps;
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  /** Admits requests with a valid access token (`createAuthenticator`); the merchant's routes also need the admin role. */
  authenticate: Authenticator;
  bodyLimitBytes?: number;
}

/** The order HTTP API. Builds no connections: everything arrives in `deps`. */
export function createApp({ deps, logger, readiness, authenticate, bodyLimitBytes }: OrderAppOptions) {
  const app = createServiceApp({ service: 'order', logger, readiness, bodyLimitBytes });
  registerOrderRoutes(app, deps, authenticate);
  registerAdminOrderRoutes(app, deps, authenticate);
  registerAdminStatsRoutes(app, deps, authenticate);
  registerCartRoutes(app, deps, authenticate);
  return app;
}

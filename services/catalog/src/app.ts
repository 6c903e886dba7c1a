import { createServiceApp, type Logger, type ReadinessCheck } from '@shop/shared';
import type { CatalogDeps } from './domain/deps.ts';
import { registerAdminRoutes } from './routes/admin-routes.ts';
import { registerReadRoutes } from './routes/read-routes.ts';

export interface CatalogAppOptions {
  deps: CatalogDeps;
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  bodyLimitBytes?: number;
}

/** The catalog HTTP API. Builds no connections: everything arrives in `deps`. */
export function createApp({ deps, logger, readiness, bodyLimitBytes }: CatalogAppOptions) {
  const app = createServiceApp({ service: 'catalog', logger, readiness, bodyLimitBytes });
  registerReadRoutes(app, deps);
  registerAdminRoutes(app, deps);
  return app;
}

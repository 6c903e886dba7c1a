import {
  createMetrics,
  createServiceApp,
  type Authenticator,
  type Logger,
  type ReadinessCheck,
} from '@shop/shared';
import type { CatalogDeps } from './deps.ts';
import { fastPath } from './fast-path/fast-path.ts';
import { fastReads } from './fast-path/fast-reads.ts';
import { registerCategoryRoutes } from './routes/admin-category-routes.ts';
import { registerAdminReadRoutes } from './routes/admin-read-routes.ts';
import { registerAdminRoutes } from './routes/admin-routes.ts';
import { imageUpload, registerImageRoutes } from './routes/image-routes.ts';
import { registerReadRoutes } from './routes/read-routes.ts';
import { createAdminReads } from './store/admin-reads.ts';

export interface CatalogAppOptions {
  deps: CatalogDeps;
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  /** Admits requests with a valid access token (`createAuthenticator`); admin routes also need the role. */
  authenticate: Authenticator;
  bodyLimitBytes?: number;
}

/**
 * The catalog HTTP API, and `front`: the node:http fast path that answers in-process cache hits
 * before Hono (serve it with `startServer({ front })`). Builds no connections: everything
 * arrives in `deps`.
 */
export function createApp({ deps, logger, readiness, authenticate, bodyLimitBytes }: CatalogAppOptions) {
  const metrics = createMetrics('catalog');
  const app = createServiceApp({
    service: 'catalog',
    logger,
    readiness,
    bodyLimitBytes,
    largeBodies: [imageUpload],
    metrics,
  });
  registerReadRoutes(app, deps);
  registerAdminRoutes(app, deps, authenticate);
  const adminReads = createAdminReads(deps.em);
  registerCategoryRoutes(app, deps, adminReads, authenticate);
  registerAdminReadRoutes(app, adminReads, authenticate);
  registerImageRoutes(app, deps, authenticate);
  const front = fastPath({ logger, metrics, answer: fastReads(deps.cache) });
  return { app, front };
}

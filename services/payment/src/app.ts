import { createServiceApp, type Authenticator, type Logger, type ReadinessCheck } from '@shop/shared';
import type { PaymentDeps } from './deps.ts';
import { registerAdminPaymentRoutes } from './routes/admin-routes.ts';
import { registerInvoiceLinkRoutes } from './routes/invoice-link-routes.ts';
import { registerPaymentRoutes } from './routes/payment-routes.ts';
import { registerTelegramPaymentRoutes } from './routes/telegram-routes.ts';

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
  registerPaymentRoutes(app, deps, authenticate);
  registerTelegramPaymentRoutes(app, deps, authenticate);
  registerInvoiceLinkRoutes(app, deps, authenticate);
  registerAdminPaymentRoutes(app, deps, authenticate);
  return app;
}

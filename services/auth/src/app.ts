import { createServiceApp, type Logger, type ReadinessCheck } from '@shop/shared';
import type { AuthDeps } from './deps.ts';
import { registerAuthRoutes } from './routes/auth-routes.ts';
import type { ClientGate } from './routes/client-gate.ts';
import { registerTelegramRoutes } from './routes/telegram-routes.ts';

export interface AuthAppOptions {
  deps: AuthDeps;
  /** Who is calling: rate limits and the bot's service token. */
  gate: ClientGate;
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  bodyLimitBytes?: number;
}

/** The auth HTTP API. Builds no connections: everything arrives in `deps`. */
export function createApp({ deps, gate, logger, readiness, bodyLimitBytes }: AuthAppOptions) {
  const app = createServiceApp({ service: 'auth', logger, readiness, bodyLimitBytes });
  registerAuthRoutes(app, deps, gate);
  registerTelegramRoutes(app, deps, gate);
  return app;
}

import { createServiceApp, type Authenticator, type ReadinessCheck } from '@shop/shared';
import type { Logger } from 'pino';
import { registerAnnouncementRoutes, type AnnouncementRouteDeps } from './routes/announcement-routes.ts';

export interface NotificationAppOptions {
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  /** What the admin routes use: the database and the sender's wake-up. */
  deps: AnnouncementRouteDeps;
  /** Admits requests with a valid access token (`createAuthenticator`). */
  authenticate: Authenticator;
  bodyLimitBytes?: number;
}

/**
 * The notification HTTP surface: the admins' announcements, and health, readiness, metrics and
 * docs. The rest of its work arrives as events, and what was told to whom stays internal.
 */
export function createApp({ logger, readiness, deps, authenticate, bodyLimitBytes }: NotificationAppOptions) {
  const app = createServiceApp({ service: 'notification', logger, readiness, bodyLimitBytes });
  registerAnnouncementRoutes(app, deps, authenticate);
  return app;
}

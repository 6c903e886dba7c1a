import { createServiceApp, type ReadinessCheck } from '@shop/shared';
import type { Logger } from 'pino';

export interface NotificationAppOptions {
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  bodyLimitBytes?: number;
}

/**
 * The notification HTTP surface: health, readiness, metrics and docs only. The service's work
 * arrives as events, and what was told to whom stays internal (no user-facing API in the contract).
 */
export function createApp({ logger, readiness, bodyLimitBytes }: NotificationAppOptions) {
  return createServiceApp({ service: 'notification', logger, readiness, bodyLimitBytes });
}

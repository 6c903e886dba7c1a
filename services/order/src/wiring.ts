import {
  connectBroker,
  connectPostgres,
  createAuthenticator,
  createServiceKit,
  startOutboxRelay,
  type Logger,
  type ServiceWiringOptions,
} from '@shop/shared';
import { createApp } from './app.ts';
import { createCatalogClient } from './clients/catalog.ts';
import type { OrderConfig } from './config.ts';
import { entities } from './db/entities.ts';
import type { OrderDeps } from './deps.ts';
import { createOrderWriter } from './store/order-writer.ts';
import { startKeyPurge } from './workers/key-purge.ts';
import { startOrderEventConsumers } from './workers/order-events.ts';
import { startReservationExpiry } from './workers/reservation-expiry.ts';

export type OrderWiringOptions = ServiceWiringOptions & {
  /** The clock the statistics count their days by; the machine's unless given. */
  now?: () => Date;
};

/**
 * Connects order to PostgreSQL, RabbitMQ and the catalog, starts the outbox relay, the consumers
 * of the catalog's reservations and of payment outcomes, and the reservation expiry, and builds
 * the app; the caller serves it and owns shutdown.
 * RabbitMQ may be down at start: orders are still taken and their events wait in the outbox.
 */
export async function buildOrder(config: OrderConfig, logger: Logger, options: OrderWiringOptions = {}) {
  const kit = createServiceKit({ service: 'order', config, logger, options });
  const orm = await connectPostgres(kit, {
    entities,
    migrations: new URL('./db/migrations', import.meta.url),
  });
  // Without the broker orders are still taken (the outbox keeps their events); without the
  // catalog orders can still be read. Both degrade the service rather than take it out.
  const broker = await connectBroker(kit, { critical: false });
  const catalog = createCatalogClient({ baseUrl: config.CATALOG_URL, timeoutMs: config.CATALOG_TIMEOUT_MS });
  kit.addReadiness({ name: 'catalog', check: () => catalog.check(), critical: false });
  kit.addCloser('catalog client', () => catalog.close());
  const relay = startOutboxRelay(kit, { orm, broker });
  const consumers = await startOrderEventConsumers(kit, {
    orm,
    broker,
    reservationMs: config.ORDER_RESERVATION_MINUTES * 60_000,
  });
  startReservationExpiry(kit, { orm });
  startKeyPurge(kit, { orm });

  const deps: OrderDeps = {
    em: orm.em,
    catalog,
    idempotencyTtlMs: config.IDEMPOTENCY_TTL_HOURS * 3_600_000,
    orders: createOrderWriter({ em: orm.em, committed: () => relay.wake() }),
    now: options.now ?? (() => new Date()),
  };
  const app = createApp({
    deps,
    logger,
    readiness: kit.readiness,
    authenticate: createAuthenticator(config, options.keys),
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  return { app, deps, orm, broker, consumers, closers: kit.closers };
}

import {
  checkDatabase,
  createBroker,
  createConsumer,
  createOrm,
  createOutboxRelay,
  remoteJwks,
  type Closer,
  type ReadinessCheck,
} from '@shop/shared';
import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import { createCatalogClient } from './clients/catalog.ts';
import type { OrderConfig } from './config.ts';
import { entities } from './db/entities.ts';
import type { OrderDeps } from './domain/deps.ts';
import { purgeExpiredKeys } from './domain/idempotency.ts';
import { createOrderWriter } from './domain/order-writer.ts';
import { paymentOutcomeHandler } from './domain/payment-outcomes.ts';

/** Queue (and inbox key) of the consumer that applies payment outcomes to orders. */
export const PAYMENTS_CONSUMER = 'order.payments';

const KEY_PURGE_INTERVAL_MS = 60 * 60_000;

export interface OrderWiringOptions {
  /** Defaults to `shop_order`; tests pass a per-run name. */
  dbName?: string;
  /** Access token keys; defaults to auth's JWKS at `AUTH_URL`. */
  keys?: JWTVerifyGetKey;
  /** Event exchange; `shop.events` unless a test isolates itself. */
  exchange?: string;
  /** Defaults to `order.payments`; tests pass a per-run name. */
  consumerName?: string;
  retryDelaysMs?: readonly number[];
}

/**
 * Connects order to PostgreSQL, RabbitMQ and the catalog, starts the outbox relay and the
 * payment-outcome consumer, and builds the app; the caller serves it and owns shutdown.
 * RabbitMQ may be down at start: orders are still taken and their events wait in the outbox.
 */
export async function buildOrder(config: OrderConfig, logger: Logger, options: OrderWiringOptions = {}) {
  const orm = await createOrm({
    serverUrl: config.POSTGRES_URL,
    dbName: options.dbName ?? `${config.DATABASE_PREFIX}_order`,
    pool: { max: config.DATABASE_POOL_MAX },
    entities,
    migrationsPath: new URL('./db/migrations', import.meta.url),
    logger,
  });
  const catalog = createCatalogClient({ baseUrl: config.CATALOG_URL, timeoutMs: config.CATALOG_TIMEOUT_MS });
  const broker = await createBroker({
    url: config.RABBITMQ_URL,
    logger,
    exchange: options.exchange,
    connectionName: 'order',
  });
  const relay = createOutboxRelay({ orm, broker, logger });
  relay.start();
  const deps: OrderDeps = {
    em: orm.em,
    catalog,
    idempotencyTtlMs: config.IDEMPOTENCY_TTL_HOURS * 3_600_000,
    orders: createOrderWriter({ em: orm.em, committed: () => relay.wake() }),
  };
  const consumer = await createConsumer({
    broker,
    orm,
    name: options.consumerName ?? PAYMENTS_CONSUMER,
    routingKeys: ['payment.succeeded', 'payment.failed'],
    handler: paymentOutcomeHandler(logger.child({ component: 'payment-outcomes' })),
    // Outcomes waiting together (every order brings one) share a transaction and its commit.
    batchSize: 16,
    logger,
    retryDelaysMs: options.retryDelaysMs,
  });
  const purge = setInterval(() => {
    purgeExpiredKeys(orm.em.fork()).catch((error: unknown) =>
      logger.warn({ err: error }, 'cannot purge idempotency keys'),
    );
  }, KEY_PURGE_INTERVAL_MS).unref();

  const readiness: ReadinessCheck[] = [
    { name: 'postgres', check: () => checkDatabase(orm) },
    // Without the broker orders are still taken (the outbox keeps their events); without the
    // catalog orders can still be read. Both degrade the service rather than take it out.
    { name: 'rabbitmq', check: () => broker.check(), critical: false },
    { name: 'catalog', check: () => catalog.check(), critical: false },
  ];
  const closers: Closer[] = [
    { name: 'payment consumer', close: () => consumer.stop() },
    { name: 'outbox relay', close: () => relay.stop() },
    { name: 'rabbitmq', close: () => broker.close() },
    { name: 'key purge', close: () => Promise.resolve(clearInterval(purge)) },
    { name: 'postgres', close: () => orm.close() },
    { name: 'catalog client', close: () => Promise.resolve(catalog.close()) },
  ];
  const app = createApp({
    deps,
    logger,
    readiness,
    keys: options.keys ?? remoteJwks(config.AUTH_URL),
    tokens: { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  return { app, deps, orm, broker, consumer, closers };
}

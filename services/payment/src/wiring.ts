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
import type { PaymentConfig } from './config.ts';
import { entities } from './db/entities.ts';
import { chargeOrderHandler, ORDERS_CONSUMER } from './domain/charge-order.ts';
import type { PaymentDeps } from './domain/deps.ts';
import { createSimulatedProvider, type PaymentProvider } from './domain/provider.ts';

export interface PaymentWiringOptions {
  /** Defaults to `shop_payment`; tests pass a per-run name. */
  dbName?: string;
  /** Access token keys; defaults to auth's JWKS at `AUTH_URL`. */
  keys?: JWTVerifyGetKey;
  /** Event exchange; `shop.events` unless a test isolates itself. */
  exchange?: string;
  /** Defaults to `payment.orders`; tests pass a per-run name. */
  consumerName?: string;
  retryDelaysMs?: readonly number[];
  /** Defaults to the simulated provider configured by `PAYMENT_*`; a real one would be passed here. */
  provider?: PaymentProvider;
}

/**
 * Connects payment to PostgreSQL and RabbitMQ, starts the outbox relay and the order.created
 * consumer, and builds the app; the caller serves it and owns shutdown.
 */
export async function buildPayment(
  config: PaymentConfig,
  logger: Logger,
  options: PaymentWiringOptions = {},
) {
  const orm = await createOrm({
    serverUrl: config.POSTGRES_URL,
    dbName: options.dbName ?? `${config.DATABASE_PREFIX}_payment`,
    pool: { max: config.DATABASE_POOL_MAX },
    entities,
    migrationsPath: new URL('./db/migrations', import.meta.url),
    logger,
  });
  const provider =
    options.provider ??
    createSimulatedProvider({
      declineAboveCents: config.PAYMENT_DECLINE_ABOVE_CENTS,
      latencyMs: config.PAYMENT_PROVIDER_LATENCY_MS,
      failureRate: config.PAYMENT_PROVIDER_FAILURE_RATE,
    });
  const deps: PaymentDeps = { em: orm.em };

  const broker = await createBroker({
    url: config.RABBITMQ_URL,
    logger,
    exchange: options.exchange,
    connectionName: 'payment',
  });
  // Publishes payment.succeeded / payment.failed after each charge commits.
  const relay = createOutboxRelay({ orm, broker, logger });
  relay.start();
  const consumer = await createConsumer({
    broker,
    orm,
    name: options.consumerName ?? ORDERS_CONSUMER,
    routingKeys: ['order.created'],
    handler: chargeOrderHandler({ provider, logger: logger.child({ component: 'charge-order' }) }),
    logger,
    // Each message holds a pooled connection while the provider answers: stay below the pool's
    // size so the relay and HTTP reads still get one.
    prefetch: Math.max(1, config.DATABASE_POOL_MAX - 2),
    retryDelaysMs: options.retryDelaysMs,
  });

  const readiness: ReadinessCheck[] = [
    { name: 'postgres', check: () => checkDatabase(orm) },
    // Critical, unlike in order: charging orders is this service's whole job, and it needs the broker.
    { name: 'rabbitmq', check: () => broker.check() },
  ];
  const closers: Closer[] = [
    { name: 'order consumer', close: () => consumer.stop() },
    { name: 'outbox relay', close: () => relay.stop() },
    { name: 'rabbitmq', close: () => broker.close() },
    { name: 'postgres', close: () => orm.close() },
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

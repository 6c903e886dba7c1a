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
import type { PaymentConfig } from './config.ts';
import { entities } from './db/entities.ts';
import type { PaymentDeps } from './deps.ts';
import { createSimulatedProvider, type PaymentProvider } from './provider/provider.ts';
import { startChargeConsumer } from './workers/charge-order.ts';

export interface PaymentWiringOptions extends ServiceWiringOptions {
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
  const kit = createServiceKit({ service: 'payment', config, logger, options });
  const orm = await connectPostgres(kit, {
    entities,
    migrations: new URL('./db/migrations', import.meta.url),
  });
  // Critical, unlike in order: charging orders is this service's whole job, and it needs the broker.
  const broker = await connectBroker(kit);
  // Publishes payment.succeeded / payment.failed after each charge commits.
  startOutboxRelay(kit, { orm, broker });
  const provider =
    options.provider ??
    createSimulatedProvider({
      declineAboveCents: config.PAYMENT_DECLINE_ABOVE_CENTS,
      latencyMs: config.PAYMENT_PROVIDER_LATENCY_MS,
      failureRate: config.PAYMENT_PROVIDER_FAILURE_RATE,
    });
  const consumer = await startChargeConsumer(kit, {
    orm,
    broker,
    provider,
    poolSize: config.DATABASE_POOL_MAX,
  });

  const deps: PaymentDeps = { em: orm.em };
  const app = createApp({
    deps,
    logger,
    readiness: kit.readiness,
    authenticate: createAuthenticator(config, options.keys),
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  return { app, deps, orm, broker, consumer, closers: kit.closers };
}

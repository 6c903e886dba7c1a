import {
  connectBroker,
  connectPostgres,
  createAuthenticator,
  createInvoicePhotoCheck,
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
import { createBotApi } from './telegram/bot-api.ts';
import { startChargeConsumer } from './workers/charge-order.ts';
import { startStarRefunds } from './workers/star-refunds.ts';

export interface PaymentWiringOptions extends ServiceWiringOptions {
  /** Defaults to the simulated provider configured by `PAYMENT_*`; a real one would be passed here. */
  provider?: PaymentProvider;
  /** How the Bot API is reached (tests fake Telegram with it); the global `fetch` unless given. */
  telegramFetch?: typeof fetch;
}

/**
 * Connects payment to PostgreSQL and RabbitMQ, starts the outbox relay, the consumer of
 * reservations and cancellations and (with TELEGRAM_BOT_TOKEN) the Stars refunds, and builds the
 * app; the caller serves it and owns shutdown.
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
  // Publishes the payment.* events after each state change commits.
  startOutboxRelay(kit, { orm, broker });
  const provider =
    options.provider ??
    createSimulatedProvider({
      declineAboveCents: config.PAYMENT_DECLINE_ABOVE_CENTS,
      latencyMs: config.PAYMENT_PROVIDER_LATENCY_MS,
      failureRate: config.PAYMENT_PROVIDER_FAILURE_RATE,
    });
  const methods = {
    hasProvider: config.TELEGRAM_PAYMENT_PROVIDER_TOKEN !== undefined,
    production: config.NODE_ENV === 'production',
  };
  const consumer = await startChargeConsumer(kit, {
    orm,
    broker,
    provider,
    methods,
    poolSize: config.DATABASE_POOL_MAX,
  });
  const api = config.TELEGRAM_BOT_TOKEN
    ? createBotApi({
        token: config.TELEGRAM_BOT_TOKEN,
        apiRoot: config.TELEGRAM_API_ROOT,
        fetch: options.telegramFetch,
      })
    : undefined;
  if (api) startStarRefunds(kit, { orm, api, intervalMs: config.PAYMENT_REFUND_INTERVAL_MS });
  else
    logger.warn(
      'TELEGRAM_BOT_TOKEN is not set: Stars payments owed back wait as refund_pending, and Mini Apps get no invoice links',
    );

  const deps: PaymentDeps = {
    em: orm.em,
    serviceToken: config.BOT_SERVICE_TOKEN,
    invoiceLinks: {
      api,
      settings: {
        providerToken: config.TELEGRAM_PAYMENT_PROVIDER_TOKEN,
        publicCatalogUrl: config.PUBLIC_CATALOG_URL,
      },
      checkPhoto: createInvoicePhotoCheck({ logger }),
      logger: logger.child({ component: 'invoice-links' }),
    },
  };
  const app = createApp({
    deps,
    logger,
    readiness: kit.readiness,
    authenticate: createAuthenticator(config, options.keys),
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  return { app, deps, orm, broker, consumer, closers: kit.closers };
}

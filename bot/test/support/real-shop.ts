import { connect } from 'amqplib';
import { loadConfig, remoteJwks, type Closer, type Logger } from '@shop/shared';
import {
  createTcpProxy,
  deleteTestTopology,
  serveForTest,
  testDatabaseName,
  testKeyPrefix,
  testLogger,
  type TcpProxy,
} from '@shop/testkit';
import { inject } from 'vitest';
import { catalogConfigSchema } from '../../../services/catalog/src/config.ts';
import { bumpCacheVersion } from '../../../services/catalog/src/store/catalog-state.ts';
import { buildCatalog } from '../../../services/catalog/src/wiring.ts';
import { orderConfigSchema } from '../../../services/order/src/config.ts';
import { buildOrder } from '../../../services/order/src/wiring.ts';
import { paymentConfigSchema } from '../../../services/payment/src/config.ts';
import type { PaymentProvider } from '../../../services/payment/src/provider/provider.ts';
import { buildPayment } from '../../../services/payment/src/wiring.ts';

/** The shop every bot test sees: two categories, seven coffees (two pages of five) and a tea. */
const categories = [
  { slug: 'coffee', en: 'Coffee', ru: 'Кофе' },
  { slug: 'tea', en: 'Tea', ru: 'Чай' },
];
const products = [
  ...Array.from({ length: 7 }, (_, i) => ({
    category: 1,
    en: `Coffee ${i + 1}`,
    ru: `Кофе ${i + 1}`,
    priceCents: 1050 + i * 50,
    stock: 5,
  })),
  { category: 2, en: 'Green tea', ru: 'Зелёный чай', priceCents: 450, stock: 3 },
];

export interface ShopOptions {
  /** Names this suite's databases, exchange and queues. */
  suite: string;
  authUrl: string;
  /** An access token with `role: admin` from the real auth, for the catalog's admin API. */
  adminToken: string;
  paymentEnv?: Record<string, string>;
  /** The payment provider (the simulated one configured by `paymentEnv` unless given). */
  paymentProvider?: PaymentProvider;
  /** Every service logs here; silent by default. */
  logger?: Logger;
}

type Served = {
  fetch: (request: Request) => Response | Promise<Response>;
  closers: Closer[];
  logger: Logger;
};

/** Serves an app on a free port behind a TCP proxy: `proxy.stop()` is the service going down (a closed port). */
async function serve({ fetch, closers, logger }: Served) {
  const server = await serveForTest({ fetch, logger, closers });
  const proxy = await createTcpProxy(server.url);
  return { direct: server.url, proxy, stop: server.close };
}

/**
 * The REAL catalog, order and payment services, in-process over HTTP, each on its own database
 * for this suite, on a RabbitMQ exchange of this run, verifying tokens with the real auth's JWKS.
 * The bot reaches each through a TCP proxy, so a test can take one down without a stand-in.
 */
export async function startRealShop({
  suite,
  authUrl,
  adminToken,
  paymentEnv = {},
  paymentProvider,
  logger = testLogger(),
}: ShopOptions) {
  const keys = remoteJwks(authUrl);
  const prefix = `t${inject('runId')}.bot-${suite}`;
  const exchange = `${prefix}.events`;

  // Loaded test machines stall Redis replies past the production 50 ms deadline.
  const catalogConfig = loadConfig(catalogConfigSchema, {
    AUTH_URL: authUrl,
    CATALOG_CACHE_TIMEOUT_MS: '1000',
  });
  // Every option explicit, none left to defaults: `keys` rather than AUTH_URL, and the stock
  // consumer on this run's exchange (left alone, it would join the shared `shop.events`).
  const catalog = await buildCatalog(catalogConfig, logger, {
    dbName: testDatabaseName(`bot_catalog_${suite}`),
    keyPrefix: testKeyPrefix(`bot-catalog:${crypto.randomUUID()}`),
    keys,
    exchange,
    queuePrefix: `${prefix}.catalog`,
    retryDelaysMs: [100],
  });
  // This suite's own database: replace the demo seed with the fixture, ids from 1, so the
  // tests can name `c:1:1` and `p:8:…` as a user's buttons would.
  const commit = async (sql: string, params: unknown[] = []) => {
    const version = await catalog.orm.em.fork().transactional(async (tx) => {
      await tx.execute(sql, params);
      return bumpCacheVersion(tx);
    });
    await catalog.deps.invalidate(version);
  };
  await commit('truncate products, categories restart identity cascade');
  for (const [position, c] of categories.entries()) {
    await commit(
      'insert into categories (slug, name_en, name_ru, position, created_at) values (?, ?, ?, ?, now())',
      [c.slug, c.en, c.ru, position],
    );
  }
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await catalog.app.request(path, {
      method,
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`catalog ${method} ${path} answered ${res.status}: ${await res.text()}`);
  };
  for (const p of products) {
    await admin('POST', '/products', {
      name: { en: p.en, ru: p.ru },
      description: { en: `${p.en} — description`, ru: `${p.ru} — описание` },
      priceCents: p.priceCents,
      currency: 'USD',
      stock: p.stock,
      categoryId: p.category,
    });
  }
  const catalogServer = await serve({ fetch: catalog.app.fetch, closers: catalog.closers, logger });

  const order = await buildOrder(
    loadConfig(orderConfigSchema, {
      AUTH_URL: authUrl,
      CATALOG_URL: catalogServer.direct,
      CATALOG_TIMEOUT_MS: '2000',
    }),
    logger,
    {
      dbName: testDatabaseName(`bot_order_${suite}`),
      keys,
      exchange,
      queuePrefix: `${prefix}.order`,
      retryDelaysMs: [100],
    },
  );
  // Observed, not altered: what reached the order service (failed attempts never do).
  const orderRequests: { method: string; path: string; idempotencyKey: string | null }[] = [];
  const orderServer = await serve({
    fetch: (request) => {
      orderRequests.push({
        method: request.method,
        path: new URL(request.url).pathname,
        idempotencyKey: request.headers.get('Idempotency-Key'),
      });
      return order.app.fetch(request);
    },
    closers: order.closers,
    logger,
  });

  const paymentConfig = loadConfig(paymentConfigSchema, { AUTH_URL: authUrl, ...paymentEnv });
  const payment = await buildPayment(paymentConfig, logger, {
    dbName: testDatabaseName(`bot_payment_${suite}`),
    keys,
    exchange,
    queuePrefix: `${prefix}.payment`,
    retryDelaysMs: [100],
    provider: paymentProvider,
  });
  const paymentServer = await serve({ fetch: payment.app.fetch, closers: payment.closers, logger });
  await Promise.all([order.broker.waitForConnect(), payment.broker.waitForConnect()]);

  const proxies: Record<'catalog' | 'order' | 'payment', TcpProxy> = {
    catalog: catalogServer.proxy,
    order: orderServer.proxy,
    payment: paymentServer.proxy,
  };
  return {
    urls: { catalog: proxies.catalog.url, order: proxies.order.url, payment: proxies.payment.url },
    /** The apps themselves, for `app.request()` without a round trip through the proxy. */
    apps: { catalog: catalog.app, order: order.app, payment: payment.app },
    orderRequests,
    /** Runs `act` with `service` down (its port closed), and brings it back whatever happens. */
    async whileDown<T>(service: keyof typeof proxies, act: () => Promise<T>): Promise<T> {
      await proxies[service].stop();
      try {
        return await act();
      } finally {
        await proxies[service].start();
      }
    },
    deleteProduct: (id: number) => admin('DELETE', `/products/${id}`),
    /** The merchant changes a price (the catalog's cache follows at once). */
    setPrice: (id: number, priceCents: number) => admin('PATCH', `/products/${id}`, { priceCents }),
    /** The catalog has no undelete: the admin would recreate it; the test puts the row back. */
    restoreProducts: () => commit('update products set deleted_at = null where deleted_at is not null'),
    /** The statuses of orders `ids` in the order service's database. */
    async orderStatuses(ids: number[]) {
      const rows = await order.orm.em
        .fork()
        .execute<{ id: number | string; status: string }[]>('select id, status from orders where id in (?)', [
          ids,
        ]);
      return new Map(rows.map((row) => [Number(row.id), row.status]));
    },
    async close() {
      for (const proxy of Object.values(proxies)) await proxy.stop();
      await paymentServer.stop();
      await orderServer.stop();
      await catalogServer.stop();
      const connection = await connect(paymentConfig.RABBITMQ_URL);
      const channel = await connection.createChannel();
      await deleteTestTopology(channel, {
        exchange,
        consumers: [catalog.consumer, ...order.consumers, payment.consumer].map(
          (consumer) => consumer.topology,
        ),
      });
      await connection.close();
    },
  };
}

export type RealShop = Awaited<ReturnType<typeof startRealShop>>;

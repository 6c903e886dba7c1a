/**
 * The whole shop in-process for a suite: auth, catalog, order and payment, each started by its
 * own starter (services/<service>/test/start.ts) on the suite's databases and one event exchange
 * of the suite, served over HTTP on loopback, the others trusting auth's JWKS as in production.
 * Clients reach each service through a TCP proxy, so a test can take one down (`whileDown`).
 * Notification sends to a Bot API: its suites add it (services/notification/test/harness.ts).
 * For the shop as processes, as `npm start` runs it, see shop.ts.
 */
import { remoteJwks, type Logger } from '@shop/shared';
import {
  createTcpProxy,
  deleteTestTopologyOnBroker,
  testLogger,
  trustedKeyOf,
  uniqueEmail,
  type TcpProxy,
  type TestService,
} from '@shop/testkit';
import { decodeJwt } from 'jose';
import {
  adminTokens,
  newAdminTelegramId,
  registerAndLogin,
  startAuthForTest,
} from '../../services/auth/test/start.ts';
import { startCatalogForTest } from '../../services/catalog/test/start.ts';
import { startOrderForTest } from '../../services/order/test/start.ts';
import { startPaymentForTest, type PaymentTestOptions } from '../../services/payment/test/start.ts';

export type InProcessPart = 'auth' | 'catalog' | 'order' | 'payment';

export interface InProcessShopOptions {
  /** Names the shop's databases, exchange, queues and keys (`testServiceNames` of @shop/testkit). */
  suite: string;
  /** Extra variables for every service. */
  env?: Record<string, string>;
  /** Extra variables for one service, over `env`. */
  partEnv?: Partial<Record<InProcessPart, Record<string, string>>>;
  /** Every service logs here; silent by default. */
  logger?: Logger;
  /** Sees every request that reaches a service, such as a test counting what the bot sent. */
  observe?: Partial<Record<InProcessPart, (request: Request) => void>>;
  /** The payment provider (the simulated one configured by `PAYMENT_*` unless given). */
  paymentProvider?: PaymentTestOptions['provider'];
}

export interface ShopUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export async function startShopInProcess({
  suite,
  env = {},
  partEnv = {},
  logger = testLogger(),
  observe = {},
  paymentProvider,
}: InProcessShopOptions) {
  const adminTelegramId = newAdminTelegramId();
  const started: TestService[] = [];
  const direct = {} as Record<InProcessPart, string>;
  const proxies = {} as Record<InProcessPart, TcpProxy>;
  const settings = (part: InProcessPart, wiring: Record<string, string>) => ({
    ...wiring,
    ...env,
    ...partEnv[part],
  });
  const serve = async <S extends TestService>(part: InProcessPart, service: S): Promise<S> => {
    started.push(service);
    const server = await service.serve({ observe: observe[part] });
    direct[part] = server.url;
    proxies[part] = await createTcpProxy(server.url);
    return service;
  };
  const close = async () => {
    for (const proxy of Object.values(proxies)) await proxy.stop();
    const services = started.splice(0).reverse();
    for (const service of services) await service.stop();
    const [first] = services;
    if (first) {
      const consumers = services.flatMap((service) => service.topology.consumers);
      await deleteTestTopologyOnBroker({ exchange: first.names.exchange, consumers });
    }
  };

  const start = async () => {
    const auth = await serve(
      'auth',
      await startAuthForTest({
        suite,
        logger,
        env: settings('auth', {
          ADMIN_TELEGRAM_IDS: String(adminTelegramId),
          // A bot of the suite's own, so Mini App sign-in is set up (it answers 503 without one).
          TELEGRAM_BOT_TOKEN: `${100_000_000 + Math.floor(Math.random() * 1e8)}:in-process-${suite}`,
        }),
      }),
    );
    const trusting = { suite, logger, keys: remoteJwks(direct.auth) };
    const catalog = await serve(
      'catalog',
      await startCatalogForTest({ ...trusting, env: settings('catalog', { AUTH_URL: direct.auth }) }),
    );
    const order = await serve(
      'order',
      await startOrderForTest({
        ...trusting,
        env: settings('order', {
          AUTH_URL: direct.auth,
          CATALOG_URL: direct.catalog,
          CATALOG_TIMEOUT_MS: '2000',
        }),
      }),
    );
    const payment = await serve(
      'payment',
      await startPaymentForTest({
        ...trusting,
        env: settings('payment', { AUTH_URL: direct.auth }),
        provider: paymentProvider,
      }),
    );
    return { auth, catalog, order, payment };
  };
  const services = await start().catch(async (error: unknown) => {
    await close();
    throw error;
  });
  const { auth } = services;

  return {
    ...services,
    /** Each service's URL as its clients reach it: through its proxy. */
    urls: Object.fromEntries(Object.entries(proxies).map(([part, proxy]) => [part, proxy.url])) as Record<
      InProcessPart,
      string
    >,
    /** The apps themselves, for `app.request()` without a round trip through the proxy. */
    apps: {
      auth: auth.app,
      catalog: services.catalog.app,
      order: services.order.app,
      payment: services.payment.app,
    },
    /** Runs `act` with `part` down (its port closed), and brings it back whatever happens. */
    async whileDown<T>(part: InProcessPart, act: () => Promise<T>): Promise<T> {
      await proxies[part].stop();
      try {
        return await act();
      } finally {
        await proxies[part].start();
      }
    },
    /** A newly registered, signed-in shop user with real tokens from auth. */
    signUp: async (label = 'user'): Promise<ShopUser> => {
      const email = uniqueEmail(label);
      const password = `pw ${crypto.randomUUID()}`;
      const pair = await registerAndLogin(auth.app, email, password);
      return { id: decodeJwt(pair.accessToken).sub!, email, password, ...pair };
    },
    /** A fresh real access token with role admin. */
    adminToken: adminTokens(auth, adminTelegramId),
    /** The Telegram user ADMIN_TELEGRAM_IDS names: `adminToken`'s account, an admin when the bot signs them in. */
    adminTelegramId,
    /** The key auth signs with: what the JWT attacks are forged from. */
    trustedKey: () => trustedKeyOf(auth.deps.keys, auth.deps.tokens),
    close,
  };
}

export type InProcessShop = Awaited<ReturnType<typeof startShopInProcess>>;

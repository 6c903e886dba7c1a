import { loadConfig, type Logger } from '@shop/shared';
import { deleteTestTopology, serveForTest, testDatabaseName, testKeyPrefix, testLogger } from '@shop/testkit';
import { Redis } from 'ioredis';
import { authConfigSchema } from '../../../services/auth/src/config.ts';
import { buildAuth } from '../../../services/auth/src/wiring.ts';
import { createBot } from '../../src/bot.ts';
import { createAuthClient } from '../../src/clients/auth.ts';
import { createCatalogClient } from '../../src/clients/catalog.ts';
import { createOrderClient } from '../../src/clients/order.ts';
import type { Dependencies } from '../../src/context.ts';
import { createSignIns } from '../../src/sign-ins.ts';
import { botInfo } from './bot-info.ts';
import { createFakeTelegram } from './fake-telegram.ts';
import { inject } from 'vitest';
import { startRealShop, type ShopOptions } from './real-shop.ts';

export const SERVICE_TOKEN = crypto.randomUUID();

/** The REAL auth service (PostgreSQL, Redis, bcrypt) on a port of its own, as the bot sees it in production. */
export async function startRealAuth(logger: Logger = testLogger()) {
  const adminEmail = `admin-${crypto.randomUUID()}@example.test`;
  // The merchant's Telegram account: far above the ids the fake Telegram hands to test users.
  const adminTelegramId = 8_000_000_000_000 + Math.floor(Math.random() * 1e9);
  const config = loadConfig(authConfigSchema, {
    BCRYPT_COST: '4',
    BCRYPT_WORKERS: '1',
    BOT_SERVICE_TOKEN: SERVICE_TOKEN,
    ACCESS_TOKEN_TTL_SECONDS: '60',
    ADMIN_TELEGRAM_IDS: String(adminTelegramId),
    // The suites sign many users up from this one process; auth's own suites test the limits.
    AUTH_RATE_PER_CLIENT_PER_MINUTE: '1000000',
    AUTH_RATE_TOTAL_PER_SECOND: '1000000',
    BCRYPT_QUEUE_MAX: '10000',
  });
  // Its own exchange: the link events of test users never reach the developer's shop.events.
  const exchange = `t${inject('runId')}.bot-auth-${crypto.randomUUID().slice(0, 8)}`;
  const auth = await buildAuth(config, logger, {
    dbName: testDatabaseName('auth_bot'),
    keyPrefix: testKeyPrefix(`auth:${crypto.randomUUID()}`),
    exchange,
  });
  const server = await serveForTest({ fetch: auth.app.fetch, logger, closers: auth.closers });
  const { url } = server;
  const client = createAuthClient({ baseUrl: url, timeoutMs: 10_000, serviceToken: SERVICE_TOKEN });
  let registered: Promise<unknown> | undefined;
  /** A fresh real access token with `role: admin`, for arranging the catalog through its admin API. */
  const adminToken = async () => {
    // Linking the Telegram account that ADMIN_TELEGRAM_IDS names makes the account an admin.
    await (registered ??= client
      .register(adminEmail, 'an admin password')
      .then(() => client.login(adminEmail, 'an admin password'))
      .then(({ accessToken }) => client.linkTelegram(accessToken, adminTelegramId)));
    return (await client.login(adminEmail, 'an admin password')).accessToken;
  };
  const close = async () => {
    const cleanup = await auth.broker.onConnect(async (connection) => {
      const channel = await connection.createChannel();
      await deleteTestTopology(channel, { exchange });
      await channel.close();
    });
    cleanup.unregister();
    await server.close();
  };
  return { ...auth, url, adminToken, close };
}

/**
 * Real Redis, real auth, catalog, order and payment (see real-shop.ts), and a fake Bot API:
 * Telegram is the one thing not ours. `now` drives token expiry so silent refresh can be tested
 * without waiting. `suite` names this file's databases and exchange.
 */
export async function startHarness(
  suite: string,
  options: Pick<ShopOptions, 'paymentEnv' | 'paymentProvider' | 'logger'> = {},
) {
  const auth = await startRealAuth(options.logger);
  const shop = await startRealShop({
    suite,
    authUrl: auth.url,
    adminToken: await auth.adminToken(),
    ...options,
  });
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
  const keyPrefix = testKeyPrefix(`bot:${crypto.randomUUID()}`);
  const telegram = createFakeTelegram();
  const clock = { offsetMs: 0 };
  // Generous: bcrypt in one worker on a loaded CI machine is slow; outages are simulated explicitly.
  const timeoutMs = 10_000;
  const authClient = createAuthClient({ baseUrl: auth.url, timeoutMs, serviceToken: SERVICE_TOKEN });
  const deps: Dependencies = {
    auth: authClient,
    catalog: createCatalogClient({ baseUrl: shop.urls.catalog, timeoutMs }),
    orders: createOrderClient(
      { baseUrl: shop.urls.order, timeoutMs },
      { baseUrl: shop.urls.payment, timeoutMs },
    ),
    signIns: createSignIns({
      redis,
      prefix: keyPrefix,
      auth: authClient,
      now: () => Date.now() + clock.offsetMs,
    }),
    redis,
    keyPrefix,
    logger: options.logger ?? testLogger(),
  };
  /** Another bot process on the same Redis: a restart or a second replica. */
  const makeBot = () =>
    createBot('123:test', deps, {
      botInfo,
      client: { fetch: telegram.fetch, apiRoot: 'http://telegram.test' },
    });
  const bot = makeBot();
  const close = async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await shop.close();
    await auth.close();
  };
  return { auth, shop, redis, keyPrefix, telegram, clock, deps, bot, makeBot, close };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

import type { AddressInfo } from 'node:net';
import { loadConfig, startServer } from '@shop/shared';
import { testDatabaseName, testKeyPrefix, testLogger } from '@shop/shared/testing';
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
import { startFakeShop } from './fake-shop.ts';
import { createFakeTelegram } from './fake-telegram.ts';

export const SERVICE_TOKEN = 'test-bot-service-token-0123456789';

/** The REAL auth service (PostgreSQL, Redis, bcrypt) on a port of its own, as the bot sees it in production. */
export async function startRealAuth() {
  const config = loadConfig(authConfigSchema, {
    BCRYPT_COST: '4', BCRYPT_WORKERS: '1', BOT_SERVICE_TOKEN: SERVICE_TOKEN, ACCESS_TOKEN_TTL_SECONDS: '60',
  });
  const logger = testLogger();
  const auth = await buildAuth(config, logger, {
    dbName: testDatabaseName('auth_bot'),
    keyPrefix: testKeyPrefix(`auth:${crypto.randomUUID()}`),
  });
  const server = await startServer({ fetch: auth.app.fetch, port: 0, hostname: '127.0.0.1', logger, closers: auth.closers, shutdownTimeoutMs: 1_000 });
  return { ...auth, url: `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`, close: () => server.shutdown('test over') };
}

/**
 * Real Redis and real auth, the contract stand-in for catalog/order/payment, and a fake Bot
 * API. `now` drives token expiry so silent refresh can be tested without waiting.
 */
export async function startHarness() {
  const auth = await startRealAuth();
  const shop = await startFakeShop(auth.url);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
  const keyPrefix = testKeyPrefix(`bot:${crypto.randomUUID()}`);
  const telegram = createFakeTelegram();
  const clock = { offsetMs: 0 };
  // Generous: bcrypt in one worker on a loaded CI machine is slow; outages are simulated explicitly.
  const timeoutMs = 10_000;
  const authClient = createAuthClient({ baseUrl: auth.url, timeoutMs, serviceToken: SERVICE_TOKEN });
  const deps: Dependencies = {
    auth: authClient,
    catalog: createCatalogClient({ baseUrl: shop.url, timeoutMs }),
    orders: createOrderClient({ baseUrl: shop.url, timeoutMs }, { baseUrl: shop.url, timeoutMs }),
    signIns: createSignIns({ redis, prefix: keyPrefix, auth: authClient, now: () => Date.now() + clock.offsetMs }),
    redis,
    keyPrefix,
    logger: testLogger(),
  };
  /** Another bot process on the same Redis: a restart or a second replica. */
  const makeBot = () => createBot('123:test', deps, { botInfo, client: { fetch: telegram.fetch, apiRoot: 'http://telegram.test' } });
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

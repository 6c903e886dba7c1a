import { remoteJwks, type Logger } from '@shop/shared';
import { testKeyPrefix, testLogger, testServerUrls } from '@shop/testkit';
import { Redis } from 'ioredis';
import {
  adminTokens,
  newAdminTelegramId,
  SERVICE_TOKEN,
  startAuthForTest,
} from '../../../services/auth/test/start.ts';
import { createRig } from '../../../services/notification/test/harness.ts';
import { createBot } from '../../src/bot.ts';
import { createAuthClient } from '../../src/clients/auth.ts';
import { createCatalogClient } from '../../src/clients/catalog.ts';
import { createNotificationClient } from '../../src/clients/notification.ts';
import { createOrderClient } from '../../src/clients/order.ts';
import { createPaymentClient } from '../../src/clients/payment.ts';
import type { Dependencies } from '../../src/context.ts';
import { createSignIns } from '../../src/sign-ins.ts';
import { botInfo } from './bot-info.ts';
import { createFakeTelegram } from './fake-telegram.ts';
import { startRealShop, type ShopOptions } from './real-shop.ts';

export { SERVICE_TOKEN };

/** The real auth alone on a port of its own, as the bot sees it, with a way to a real admin token. */
export async function startRealAuth(logger?: Logger) {
  const adminTelegramId = newAdminTelegramId();
  const auth = await startAuthForTest({
    suite: `bot_auth_${crypto.randomUUID().slice(0, 8)}`,
    logger,
    env: { ACCESS_TOKEN_TTL_SECONDS: '60', ADMIN_TELEGRAM_IDS: String(adminTelegramId) },
  });
  const { url } = await auth.serve();
  return { ...auth, url, adminToken: adminTokens(auth, adminTelegramId) };
}

export interface HarnessOptions extends Pick<ShopOptions, 'paymentEnv' | 'paymentProvider' | 'logger'> {
  /**
   * Also the real notification service (services/notification/test/harness.ts: its own chats
   * and a fake Bot API of its own), trusting the shop's auth; otherwise the bot's notification
   * address answers nothing.
   */
  notification?: boolean;
}

/**
 * Real Redis, the real auth, catalog, order and payment (see real-shop.ts), and a fake Bot API:
 * Telegram is the one thing not ours. `now` drives token expiry so silent refresh can be tested
 * without waiting. `suite` names this file's databases and exchange.
 */
export async function startHarness(suite: string, options: HarnessOptions = {}) {
  const shop = await startRealShop({ suite, ...options });
  /** The shop's auth as the bot reaches it, with a way to a real admin token. */
  const auth = { ...shop.auth, url: shop.urls.auth, adminToken: shop.adminToken };
  const rig = options.notification
    ? await createRig(`bot_${suite}`, {}, { keys: remoteJwks(shop.urls.auth) })
    : undefined;
  const notification = rig ? await rig.start(options.logger) : undefined;
  const notificationUrl = notification ? (await notification.serve()).url : 'http://127.0.0.1:9';
  const redis = new Redis(testServerUrls().REDIS_URL, { maxRetriesPerRequest: 2 });
  const keyPrefix = testKeyPrefix(`bot:${crypto.randomUUID()}`);
  const telegram = createFakeTelegram();
  const clock = { offsetMs: 0 };
  // Generous: bcrypt in one worker on a loaded CI machine is slow; outages are simulated explicitly.
  const timeoutMs = 10_000;
  const authClient = createAuthClient({ baseUrl: auth.url, timeoutMs, serviceToken: SERVICE_TOKEN });
  const deps: Dependencies = {
    auth: authClient,
    catalog: createCatalogClient({ baseUrl: shop.urls.catalog, timeoutMs }),
    orders: createOrderClient({ baseUrl: shop.urls.order, timeoutMs }),
    payments: createPaymentClient({ baseUrl: shop.urls.payment, timeoutMs, serviceToken: SERVICE_TOKEN }),
    notification: createNotificationClient({ baseUrl: notificationUrl, timeoutMs }),
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
    await rig?.close();
    await shop.close();
  };
  return { auth, shop, rig, notification, redis, keyPrefix, telegram, clock, deps, bot, makeBot, close };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

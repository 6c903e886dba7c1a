import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createBot } from './bot.ts';
import { createAuthClient } from './clients/auth.ts';
import { createCatalogClient } from './clients/catalog.ts';
import { createNotificationClient } from './clients/notification.ts';
import { createOrderClient } from './clients/order.ts';
import { createPaymentClient } from './clients/payment.ts';
import type { BotConfig } from './config.ts';
import type { Dependencies } from './context.ts';
import { miniAppLinks } from './mini-app.ts';
import { createBotServer, WEBHOOK_PAYMENT_RECORD_MS } from './server.ts';
import { createSignIns } from './sign-ins.ts';
import { connectTelegram } from './telegram-connection.ts';

/**
 * Builds the bot over real clients and starts connecting it to Telegram in the background; the
 * caller (`runService`) serves its HTTP app (health, readiness, metrics, the webhook) and owns
 * shutdown.
 */
export function buildBot(config: BotConfig, logger: Logger) {
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));

  const timeoutMs = config.BOT_HTTP_TIMEOUT_MS;
  const auth = createAuthClient({
    baseUrl: config.AUTH_URL,
    timeoutMs,
    serviceToken: config.BOT_SERVICE_TOKEN,
  });
  const catalog = createCatalogClient({ baseUrl: config.CATALOG_URL, timeoutMs });
  const orders = createOrderClient({ baseUrl: config.ORDER_URL, timeoutMs });
  const payments = createPaymentClient({
    baseUrl: config.PAYMENT_URL,
    timeoutMs,
    serviceToken: config.BOT_SERVICE_TOKEN,
  });
  const notification = createNotificationClient({ baseUrl: config.NOTIFICATION_URL, timeoutMs });
  const deps: Dependencies = {
    auth,
    catalog,
    orders,
    payments,
    notification,
    signIns: createSignIns({ redis, prefix: config.BOT_REDIS_PREFIX, auth }),
    redis,
    keyPrefix: config.BOT_REDIS_PREFIX,
    logger,
    conversationTtlSeconds: config.BOT_CONVERSATION_TTL_SECONDS,
    ...(config.BOT_MINI_APP_URL ? { miniApp: miniAppLinks(config.BOT_MINI_APP_URL) } : {}),
  };
  const webhook = config.BOT_WEBHOOK_URL
    ? {
        url: config.BOT_WEBHOOK_URL,
        path: new URL(config.BOT_WEBHOOK_URL).pathname,
        secret: config.BOT_WEBHOOK_SECRET ?? '',
      }
    : undefined;
  // Aborted at shutdown: a payment being recorded is left for Telegram to deliver again.
  const stopping = new AbortController();
  const bot = createBot(config.TELEGRAM_BOT_TOKEN, deps, {
    client: { apiRoot: config.TELEGRAM_API_ROOT },
    payments: {
      preCheckoutDeadlineMs: config.BOT_PRE_CHECKOUT_DEADLINE_MS,
      // Long polling holds the update meanwhile, so it may try as long as it takes.
      recording: { signal: stopping.signal, giveUpAfterMs: webhook ? WEBHOOK_PAYMENT_RECORD_MS : undefined },
    },
  });
  bot.catch((error) => logger.error({ err: error.error }, 'unhandled bot error'));

  const telegram = connectTelegram(bot, logger, {
    webhook,
    apiRoot: config.TELEGRAM_API_ROOT,
    polling: { redis, keyPrefix: config.BOT_REDIS_PREFIX },
    miniApp: deps.miniApp,
  });
  const app = createBotServer({
    bot,
    logger,
    webhook,
    readiness: [
      { name: 'redis', check: () => redis.ping() },
      { name: 'telegram', check: () => telegram.check() },
      { name: 'auth', check: () => auth.ping(), critical: false },
      { name: 'catalog', check: () => catalog.ping(), critical: false },
      { name: 'order', check: () => orders.ping(), critical: false },
      { name: 'payment', check: () => payments.ping(), critical: false },
      { name: 'notification', check: () => notification.ping(), critical: false },
    ],
  });
  const closers = [
    // Stops taking updates and lets the ones in flight finish before Redis goes away; payments
    // still being recorded give up first (they are not confirmed to Telegram).
    {
      name: 'telegram',
      close: () => {
        stopping.abort();
        return telegram.stop();
      },
    },
    { name: 'redis', close: () => redis.quit() },
  ];
  return { app, closers };
}

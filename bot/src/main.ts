import { createLogger, exitOnSignals, startServer } from '@shop/shared';
import { Redis } from 'ioredis';
import { createBot } from './bot.ts';
import { createAuthClient } from './clients/auth.ts';
import { createCatalogClient } from './clients/catalog.ts';
import { createOrderClient } from './clients/order.ts';
import { setCommands } from './commands.ts';
import { loadBotConfig } from './config.ts';
import type { Dependencies } from './context.ts';
import { startPolling, type Polling } from './polling.ts';
import { createBotServer } from './server.ts';
import { createSignIns } from './sign-ins.ts';

const config = loadBotConfig();
const logger = createLogger({ service: 'bot', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));

const timeoutMs = config.BOT_HTTP_TIMEOUT_MS;
const auth = createAuthClient({
  baseUrl: config.AUTH_URL,
  timeoutMs,
  serviceToken: config.BOT_SERVICE_TOKEN,
});
const catalog = createCatalogClient({ baseUrl: config.CATALOG_URL, timeoutMs });
const orders = createOrderClient(
  { baseUrl: config.ORDER_URL, timeoutMs },
  { baseUrl: config.PAYMENT_URL, timeoutMs },
);
const deps: Dependencies = {
  auth,
  catalog,
  orders,
  signIns: createSignIns({ redis, prefix: config.BOT_REDIS_PREFIX, auth }),
  redis,
  keyPrefix: config.BOT_REDIS_PREFIX,
  logger,
  conversationTtlSeconds: config.BOT_CONVERSATION_TTL_SECONDS,
};
const bot = createBot(config.TELEGRAM_BOT_TOKEN, deps, { client: { apiRoot: config.TELEGRAM_API_ROOT } });
bot.catch((error) => logger.error({ err: error.error }, 'unhandled bot error'));

// An object, not two lets: they change from the closers and the connect loop alike.
const state = { connected: false, stopping: false };
let polling: Polling | undefined;
const webhook = config.BOT_WEBHOOK_URL
  ? {
      url: config.BOT_WEBHOOK_URL,
      path: new URL(config.BOT_WEBHOOK_URL).pathname,
      secret: config.BOT_WEBHOOK_SECRET ?? '',
    }
  : undefined;

const app = createBotServer({
  bot,
  logger,
  webhook,
  readiness: [
    { name: 'redis', check: () => redis.ping() },
    {
      name: 'telegram',
      check: () => {
        const refusal = polling?.refusal();
        if (!state.connected) return Promise.reject(new Error('not connected to the Bot API yet'));
        return refusal ? Promise.reject(new Error(refusal)) : Promise.resolve();
      },
    },
    { name: 'auth', check: () => auth.ping(), critical: false },
    { name: 'catalog', check: () => catalog.ping(), critical: false },
    { name: 'order', check: () => orders.ping(), critical: false },
  ],
});
const server = await startServer({
  fetch: app.fetch,
  port: config.BOT_PORT,
  logger,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  closers: [
    // Stops taking updates and lets the ones in flight finish before Redis goes away.
    {
      name: 'telegram',
      close: async () => {
        state.stopping = true;
        await polling?.stop();
      },
    },
    { name: 'redis', close: () => redis.quit() },
  ],
});
exitOnSignals(server.shutdown, logger, config.SHUTDOWN_TIMEOUT_MS);

// The Bot API (or the local sandbox) may come up after us: keep trying, /ready says so meanwhile.
for (let attempt = 1; !state.connected && !state.stopping; attempt++) {
  try {
    await bot.init();
    await setCommands(bot.api);
    if (webhook) {
      await bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, drop_pending_updates: false });
    } else {
      await bot.api.deleteWebhook();
      polling = startPolling(bot, logger);
    }
    state.connected = true;
    logger.info(
      {
        username: bot.botInfo.username,
        mode: webhook ? 'webhook' : 'polling',
        apiRoot: config.TELEGRAM_API_ROOT,
      },
      'bot started',
    );
  } catch (error) {
    const delay = Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5));
    logger.warn({ err: error, attempt, retryInMs: delay }, 'cannot reach the Bot API yet');
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

import { createServiceApp, type ReadinessCheck } from '@shop/shared';
import { webhookCallback } from 'grammy';
import type { Logger } from 'pino';
import type { ShopBot } from './bot.ts';

export interface BotServerOptions {
  bot: ShopBot;
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  /** Webhook mode: Telegram posts updates to `path`, and must send `secret` in X-Telegram-Bot-Api-Secret-Token. */
  webhook?: { path: string; secret: string };
}

/** `/health`, `/ready`, `/metrics` as every service has them, plus the webhook route in webhook mode. */
export function createBotServer({ bot, logger, readiness, webhook }: BotServerOptions) {
  const app = createServiceApp({ service: 'bot', logger, readiness });
  if (webhook) {
    // grammY answers 401 when the secret header is missing or wrong, before reading the update.
    app.post(
      webhook.path,
      webhookCallback(bot, 'hono', { secretToken: webhook.secret, onTimeout: 'return' }),
    );
  }
  return app;
}

import { badRequest, createServiceApp, type ReadinessCheck } from '@shop/shared';
import { webhookCallback } from 'grammy';
import type { MiddlewareHandler } from 'hono';
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
      onlyUpdates(webhook.secret),
      webhookCallback(bot, 'hono', { secretToken: webhook.secret, onTimeout: 'return' }),
    );
  }
  return app;
}

/**
 * With the right secret, a body that is not a JSON object is answered 400 here: grammY would
 * fail on it with a 500. A wrong secret still gets grammY's 401 before the body is read.
 */
function onlyUpdates(secret: string): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.header('X-Telegram-Bot-Api-Secret-Token') === secret) {
      const update: unknown = await c.req.json().catch(() => undefined);
      if (typeof update !== 'object' || update === null || Array.isArray(update)) {
        throw badRequest('invalid_update', 'The body is not a Telegram update (a JSON object)');
      }
    }
    await next();
  };
}

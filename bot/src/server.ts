import { badRequest, createServiceApp, type ReadinessCheck } from '@shop/shared';
import { webhookCallback } from 'grammy';
import type { Update } from 'grammy/types';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { ShopBot } from './bot.ts';
import { isPaymentUpdate } from './payments/record.ts';

/**
 * Webhook mode: how long a `successful_payment` is tried before the webhook gives up and answers
 * 503, so Telegram delivers it again; within grammY's webhook timeout and Telegram's own.
 */
export const WEBHOOK_PAYMENT_RECORD_MS = 8_000;
const SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

export interface BotServerOptions {
  bot: ShopBot;
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  /** Webhook mode: Telegram posts updates to `path`, and must send `secret` in X-Telegram-Bot-Api-Secret-Token. */
  webhook?: { path: string; secret: string };
  /**
   * How long the bot tries to record a payment before giving up (its `recording.giveUpAfterMs`):
   * the webhook answers 503 a second after that at the latest. Default WEBHOOK_PAYMENT_RECORD_MS.
   */
  paymentRecordMs?: number;
}

/**
 * `/health`, `/ready`, `/metrics` as every service has them, plus the webhook route in webhook
 * mode. Telegram counts any 2xx as delivered. An ordinary update slower than grammY's timeout is
 * answered 200 and runs on (a slow chat must not make Telegram send it again); a payment is
 * answered 2xx only once the payment service has recorded it, 503 otherwise, so Telegram
 * delivers it again (never the 200 grammY's `onTimeout: 'return'` would give it).
 */
export function createBotServer({
  bot,
  logger,
  readiness,
  webhook,
  paymentRecordMs = WEBHOOK_PAYMENT_RECORD_MS,
}: BotServerOptions) {
  const app = createServiceApp({ service: 'bot', logger, readiness });
  if (webhook) {
    // grammY answers 401 when the secret header is missing or wrong, before reading the update.
    const secretToken = webhook.secret;
    const ordinary = webhookCallback(bot, 'hono', { secretToken, onTimeout: 'return' });
    const payments = webhookCallback(bot, 'hono', {
      secretToken,
      onTimeout: 'throw',
      timeoutMilliseconds: paymentRecordMs + 1_000,
    });
    app.post(webhook.path, onlyUpdates(secretToken), async (c) => {
      const trusted = c.req.header(SECRET_HEADER) === secretToken;
      if (!trusted || !isPaymentUpdate(await c.req.json<Update>())) return ordinary(c);
      try {
        return await payments(c);
      } catch (error) {
        logger.warn({ err: error }, 'payment not recorded: Telegram will deliver it again');
        return c.json(
          {
            error: {
              code: 'payment_not_recorded',
              message: 'The payment is not recorded yet; send it again',
            },
          },
          503,
        );
      }
    });
  }
  return app;
}

/**
 * With the right secret, a body that is not a JSON object is answered 400 here: grammY would
 * fail on it with a 500. A wrong secret still gets grammY's 401 before the body is read.
 */
function onlyUpdates(secret: string): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.header(SECRET_HEADER) === secret) {
      const update: unknown = await c.req.json().catch(() => undefined);
      if (typeof update !== 'object' || update === null || Array.isArray(update)) {
        throw badRequest('invalid_update', 'The body is not a Telegram update (a JSON object)');
      }
    }
    await next();
  };
}

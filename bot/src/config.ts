import { baseConfigSchema, botServiceToken, loadConfigOrExit, ports } from '@shop/shared';
import { z } from 'zod';

export const botConfigSchema = baseConfigSchema
  .extend({
    BOT_PORT: ports.BOT_PORT,
    /** No default: `npm start` without a token makes one for its run and gives it to the sandbox too. */
    TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-def'),
    TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
    /** Public HTTPS URL Telegram posts updates to; unset means long polling. */
    BOT_WEBHOOK_URL: z.url().optional(),
    /** Telegram echoes it in X-Telegram-Bot-Api-Secret-Token; required with a webhook. */
    BOT_WEBHOOK_SECRET: z
      .string()
      .regex(/^[\w-]{16,256}$/, '16-256 characters of A-Z, a-z, 0-9, _ and -')
      .optional(),
    CATALOG_URL: z.url().default('http://127.0.0.1:3002'),
    ORDER_URL: z.url().default('http://127.0.0.1:3003'),
    PAYMENT_URL: z.url().default('http://127.0.0.1:3004'),
    /** Where admins' announcements go (POST /admin/announcements). */
    NOTIFICATION_URL: z.url().default('http://127.0.0.1:3005'),
    /**
     * Shared secret auth requires before it links a Telegram account (PUT /auth/me/telegram). No
     * default: a value printed in the repository would let anyone link any Telegram id.
     */
    BOT_SERVICE_TOKEN: botServiceToken,
    /** Prefix of every Redis key the bot writes (sessions, conversations, sign-ins). */
    BOT_REDIS_PREFIX: z.string().min(1).default('bot:'),
    /** A call to auth, catalog, order or payment slower than this counts as the service being down. */
    BOT_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
    /**
     * Telegram cancels a payment whose pre-checkout is not answered within 10 s: a check that
     * takes longer than this is answered "unavailable, try again" instead.
     */
    BOT_PRE_CHECKOUT_DEADLINE_MS: z.coerce.number().int().min(500).max(9_000).default(6_000),
    /** A conversation left untouched this long is forgotten (its buttons then say so). */
    BOT_CONVERSATION_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
    /**
     * The web storefront as a Telegram Mini App (its public URL, e.g. WEB_PUBLIC_ORIGIN): the menu
     * button and an "Open in shop" button on product cards open it. Unset: neither is shown.
     */
    BOT_MINI_APP_URL: z.url({ protocol: /^https?$/ }).optional(),
  })
  .refine((config) => !config.BOT_WEBHOOK_URL || config.BOT_WEBHOOK_SECRET, {
    path: ['BOT_WEBHOOK_SECRET'],
    message: 'required when BOT_WEBHOOK_URL is set',
  })
  .refine((config) => !config.BOT_MINI_APP_URL?.startsWith('http:') || httpMiniAppsOpen(config), {
    path: ['BOT_MINI_APP_URL'],
    message:
      'must be https: Telegram opens Mini Apps over https only (http works against the local sandbox, never in production)',
  });

/**
 * Whether Telegram would open a Mini App over http: never in production, nor with Telegram's own
 * Bot API; only against the local sandbox (or another local stand-in), which allows it on this machine.
 */
function httpMiniAppsOpen(config: { NODE_ENV: string; TELEGRAM_API_ROOT: string }): boolean {
  return (
    config.NODE_ENV !== 'production' && new URL(config.TELEGRAM_API_ROOT).hostname !== 'api.telegram.org'
  );
}

export type BotConfig = z.infer<typeof botConfigSchema>;

export const loadBotConfig = () => loadConfigOrExit(botConfigSchema);

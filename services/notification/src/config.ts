import { baseConfigSchema, loadConfigOrExit, ports } from '@shop/shared';
import { z } from 'zod';

/**
 * A token of the right shape that no real bot owns (the bot uses the same one): `npm start`
 * points TELEGRAM_API_ROOT at the local Telegram sandbox when TELEGRAM_BOT_TOKEN is empty, and
 * the sandbox accepts any token.
 */
export const SANDBOX_BOT_TOKEN = '000000:sandbox';

export const notificationConfigSchema = baseConfigSchema
  .extend({
    NOTIFICATION_PORT: ports.NOTIFICATION_PORT,
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-def')
      .default(SANDBOX_BOT_TOKEN),
    TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
    /** Telegram's broadcast limit is about 30 messages a second per bot. */
    TELEGRAM_MAX_MESSAGES_PER_SECOND: z.coerce.number().int().min(1).max(1_000).default(30),
    /** One sendMessage request slower than this counts as unanswered. */
    TELEGRAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** Tries per message through 429s, 5xx answers and refused connections; then it is marked failed. */
    TELEGRAM_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
    /**
     * How long a payment outcome waits for its order summary and the buyer's linked chat (the
     * events travel on separate queues) before it is skipped with a log line.
     */
    NOTIFICATION_MAX_WAIT_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .default(900),
    /**
     * The longest one database statement may run or wait for a lock; a transaction left idle, or a
     * connection that hears nothing back, for twice as long is ended. Nothing in the sender, its
     * recovery of abandoned sends or the consumers can then wait on the database for ever. At
     * least 2 s: a claim's transaction waits up to 3 s without a word (an invoice photo's check,
     * then the send's turn).
     */
    NOTIFICATION_QUERY_TIMEOUT_MS: z.coerce.number().int().min(2_000).max(600_000).default(15_000),
    /** The provider connected in @BotFather: invoices of method `telegram` go with it (Stars need none). */
    TELEGRAM_PAYMENT_PROVIDER_TOKEN: z.string().min(1).optional(),
    /**
     * Where Telegram (and the web chat) can fetch the catalog's product photos:
     * `${PUBLIC_CATALOG_URL}/products/:id/image`. Unset: invoices go without a photo.
     */
    PUBLIC_CATALOG_URL: z.url({ protocol: /^https?$/ }).optional(),
  })
  .refine((config) => config.NODE_ENV !== 'production' || config.TELEGRAM_BOT_TOKEN !== SANDBOX_BOT_TOKEN, {
    path: ['TELEGRAM_BOT_TOKEN'],
    message: 'set the real bot token in production',
  });

export type NotificationConfig = z.infer<typeof notificationConfigSchema>;

export const loadNotificationConfig = () => loadConfigOrExit(notificationConfigSchema);

import { baseConfigSchema, botServiceToken, loadConfigOrExit, ports } from '@shop/shared';
import { z } from 'zod';

export const paymentConfigSchema = baseConfigSchema
  .extend({
    PAYMENT_PORT: ports.PAYMENT_PORT,
    /** The simulated provider declines orders whose total is above this. */
    PAYMENT_DECLINE_ABOVE_CENTS: z.coerce.number().int().nonnegative().default(100_000),
    /** How long each simulated charge takes, to see the system under a slow provider. */
    PAYMENT_PROVIDER_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
    /** Share of simulated charges (0..1) that fail with a transient error, so the consumer retries them. */
    PAYMENT_PROVIDER_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
    /**
     * The provider connected in @BotFather: set, orders in any currency but XTR are paid by a
     * Telegram invoice (`telegram`); unset, by the simulated provider (never in production).
     */
    TELEGRAM_PAYMENT_PROVIDER_TOKEN: z.string().min(1).max(512).optional(),
    /** Refunds Stars payments (`refundStarPayment`); without it they wait as `refund_pending`. */
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-def')
      .optional(),
    TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
    /**
     * The catalog's public address, reachable by Telegram: a Mini App's invoice link shows the
     * first product's photo from `${PUBLIC_CATALOG_URL}/products/:id/image`, as the chat's invoice
     * does. Unset: no photo.
     */
    PUBLIC_CATALOG_URL: z.url({ protocol: /^https?$/ }).optional(),
    /**
     * The bot's shared secret: only a request with it (`X-Service-Token`) may record a payment
     * Telegram took. No default, as in auth: `npm start` makes one for its run.
     */
    BOT_SERVICE_TOKEN: botServiceToken,
    /** How often each replica looks for Stars payments to refund; a failed refund waits this long, doubling. */
    PAYMENT_REFUND_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(2_000),
  })
  .refine((config) => config.NODE_ENV !== 'production' || config.TELEGRAM_BOT_TOKEN !== undefined, {
    path: ['TELEGRAM_BOT_TOKEN'],
    message: 'is required in production: Stars payments are refunded with it',
  });

export type PaymentConfig = z.infer<typeof paymentConfigSchema>;

export const loadPaymentConfig = () => loadConfigOrExit(paymentConfigSchema);

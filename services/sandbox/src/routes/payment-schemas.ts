import { z } from '@hono/zod-openapi';
import { cardFailures } from '../world/checkout.ts';
import { chatParamsSchema, messageViewSchema } from './schemas.ts';

export { invoiceSchema } from './schemas.ts';

const MAX_USER_ID = 2 ** 52;
const userId = z.coerce
  .number<string>()
  .int()
  .positive()
  .max(MAX_USER_ID)
  .openapi({ param: { name: 'userId', in: 'path' }, example: '1234567890', description: "The user's id" });

export const invoiceMessageParamsSchema = chatParamsSchema.extend({
  messageId: z.coerce
    .number<string>()
    .int()
    .positive()
    .openapi({ param: { name: 'messageId', in: 'path' }, description: 'The invoice message' }),
});

const slug = z
  .string()
  .regex(/^\$?[\w-]{1,64}$/, 'must be the part of an invoice link after https://t.me/$')
  .openapi({ param: { name: 'slug', in: 'path' }, description: 'The link after `https://t.me/$`' });
export const linkParamsSchema = z.object({ slug });
export const chatLinkParamsSchema = chatParamsSchema.extend({ slug });
export const userParamsSchema = z.object({ userId });
export const updateParamsSchema = z.object({
  updateId: z.coerce
    .number<string>()
    .int()
    .positive()
    .openapi({ param: { name: 'updateId', in: 'path' } }),
});

export const payRequestSchema = z
  .object({
    fail: z
      .enum(cardFailures)
      .optional()
      .openapi({ description: 'Fail the charge this way after the bot answers the pre-checkout with ok' }),
  })
  .openapi('PayRequest');

const chargeSchema = z
  .object({
    telegramPaymentChargeId: z.string(),
    providerPaymentChargeId: z.string().openapi({ description: 'Empty for Telegram Stars' }),
    userId: z.number().int(),
    currency: z.string(),
    totalAmount: z.number().int().openapi({ description: 'Smallest units; whole Stars for XTR' }),
    invoicePayload: z.string(),
    messageId: z.number().int().optional().openapi({ description: 'The invoice message it paid' }),
    date: z.number().int().openapi({ description: 'Unix seconds' }),
    refundedAt: z.number().int().optional().openapi({ description: 'Unix seconds; Stars only' }),
  })
  .openapi('SandboxCharge');

export const payResultSchema = z
  .object({
    status: z.enum(['paid', 'refused', 'failed']),
    reason: z
      .enum(['timeout', 'insufficient_stars', ...cardFailures])
      .optional()
      .openapi({ description: 'Why it failed (status failed)' }),
    errorMessage: z.string().optional().openapi({ description: "The bot's error_message (status refused)" }),
    preCheckoutQueryId: z.string().optional(),
    charge: chargeSchema.optional(),
    message: messageViewSchema.optional().openapi({ description: 'The successful_payment service message' }),
    updateId: z.number().int().optional().openapi({ description: 'The update that carried it to the bot' }),
  })
  .openapi('PayResult');

export const successfulPaymentSchema = z
  .object({
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be a currency code such as EUR or XTR'),
    totalAmount: z.number().int().positive(),
    invoicePayload: z.string().min(1).max(128),
  })
  .openapi('SuccessfulPaymentRequest');

export const starsSchema = z
  .object({ balance: z.number().int().min(0).max(1_000_000_000) })
  .openapi('StarsBalance');
export const starsAnswerSchema = z.object({ userId: z.number().int(), balance: z.number().int() });

export const chargeListSchema = z.object({ charges: z.array(chargeSchema) });
export const chargesQuerySchema = z.object({
  userId: z
    .preprocess(
      (value) => (value === '' ? undefined : value),
      z.coerce.number<string>().int().positive().optional(),
    )
    .openapi({ param: { name: 'userId', in: 'query' } }),
});

export const preCheckoutListSchema = z.object({
  queries: z.array(
    z.object({
      id: z.string(),
      chatId: z.number().int(),
      currency: z.string(),
      totalAmount: z.number().int(),
      invoicePayload: z.string(),
      sentAt: z.number().int().openapi({ description: 'ms since the epoch' }),
      state: z.enum(['pending', 'answered', 'expired']),
      answeredAt: z.number().int().optional(),
      ok: z.boolean().optional(),
      errorMessage: z.string().optional(),
    }),
  ),
});

export const updateListSchema = z.object({
  updates: z.array(
    z.object({
      update: z.record(z.string(), z.unknown()).openapi({ description: "Telegram's Update, as delivered" }),
      pending: z.boolean().openapi({ description: 'Not yet confirmed by getUpdates or the webhook' }),
    }),
  ),
});
export const redeliveredSchema = z.object({ update: z.record(z.string(), z.unknown()) });

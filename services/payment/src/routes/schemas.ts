import { z } from '@hono/zod-openapi';
import { hasNoNul, paymentMethods, preCheckoutRefusals, refundReasons } from '@shop/shared';
import { paymentStatuses } from '../db/entities.ts';

export const paymentQuerySchema = z.object({
  orderId: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, 'must be an order number (a positive integer)')
    .openapi({ param: { name: 'orderId', in: 'query' }, example: '42' }),
});

export const paymentSchema = z
  .object({
    id: z.uuid(),
    orderId: z.number().int(),
    status: z.enum(paymentStatuses),
    amountCents: z.number().int(),
    currency: z.string().openapi({ example: 'EUR' }),
    method: z.enum(paymentMethods),
  })
  .openapi('Payment');

export const paymentListSchema = z.array(paymentSchema).openapi('PaymentList');

/** Telegram's amounts: the currency's smallest unit (cents; whole Stars for XTR); `amount_cents` is an int4. */
const totalAmount = z.number().int().nonnegative().max(2_147_483_647).openapi({
  description: "Telegram's `total_amount`: in the currency's smallest unit (whole Stars for XTR)",
  example: 1999,
});
const invoicePayload = z
  .string()
  .min(1)
  .max(128)
  .openapi({ description: 'The invoice payload Telegram sent back (`order:<id>`)', example: 'order:42' });

/** Telegram's and the provider's ids of a charge, stored as text and JSON (no NUL, no lone surrogate). */
const chargeId = z
  .string()
  .max(255)
  .refine(
    (id) => hasNoNul(id) && !/\p{Cs}/u.test(id),
    'must be text without NUL characters or lone surrogates',
  );

export const preCheckoutRequestSchema = z
  .object({
    invoicePayload,
    currency: z.string().min(1).max(16).openapi({ example: 'EUR' }),
    totalAmount,
  })
  .openapi('PreCheckoutRequest');

export const preCheckoutAnswerSchema = z
  .union([
    z.object({ ok: z.literal(true) }),
    z.object({
      ok: z.literal(false),
      reason: z
        .enum(preCheckoutRefusals)
        .openapi({ description: 'Why it may not be paid; the bot words it' }),
    }),
  ])
  .openapi('PreCheckoutAnswer');

export const telegramPaymentRequestSchema = z
  .object({
    invoicePayload: invoicePayload.openapi({
      description:
        'The invoice payload Telegram sent back: `order:<id>`, or anything else for money to give back',
    }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR, or XTR for Telegram Stars')
      .openapi({ example: 'EUR' }),
    totalAmount,
    telegramPaymentChargeId: chargeId.min(1),
    providerPaymentChargeId: chargeId.openapi({ description: 'Empty for Stars' }),
    telegramUserId: z
      .number()
      .int()
      .positive()
      .max(Number.MAX_SAFE_INTEGER)
      .openapi({ description: 'Who paid, in Telegram: a Stars refund goes back to them' }),
  })
  .openapi('TelegramPaymentRequest');

/** Null for money taken for an invoice payload that names no order of ours. */
const paymentOrderId = z.number().int().nullable();

export const telegramPaymentSchema = paymentSchema
  .extend({
    orderId: paymentOrderId,
    refundReason: z
      .enum(refundReasons)
      .nullable()
      .openapi({ description: 'Why the money is owed back (`refund_pending`); null when it is kept' }),
  })
  .openapi('TelegramPayment');

export const adminPaymentQuerySchema = z.object({
  status: z.enum(paymentStatuses).optional().openapi({
    description: 'Only the payments in this status; every payment without it',
    example: 'refund_pending',
  }),
  method: z.enum(paymentMethods).optional().openapi({
    description:
      'Only the payments made this way (`telegram`: the refunds the merchant makes by hand); every way without it',
    example: 'telegram',
  }),
  page: z.coerce.number().int().min(1).max(100_000).default(1).openapi({ example: 1 }),
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }),
});

export const adminPaymentSchema = paymentSchema
  .extend({
    orderId: paymentOrderId,
    userId: z.uuid().openapi({ description: 'Whose money it is: the buyer, or the Telegram user who paid' }),
    refundReason: z.enum(refundReasons).nullable(),
    telegramPaymentChargeId: z.string().nullable(),
    providerPaymentChargeId: z.string().nullable().openapi({
      description: "The provider's id of the charge: find it in the provider's dashboard to refund it",
    }),
    createdAt: z.iso.datetime(),
  })
  .openapi('AdminPayment');

export const adminPaymentPageSchema = z
  .object({
    items: z.array(adminPaymentSchema),
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
  })
  .openapi('AdminPaymentPage');

export const paymentIdParamsSchema = z.object({
  id: z
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' }, example: '6f1c7a52-4d5e-4b8e-9d7c-0a1b2c3d4e5f' }),
});

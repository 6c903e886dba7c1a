import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import {
  cancelReasons,
  invoiceMethods,
  messagingEntities,
  paymentMethods,
  refundReasons,
  type EventData,
} from '@shop/shared';

/** `refund_pending`: money owed back and not returned yet; `refunded` once given back. */
export const paymentStatuses = ['succeeded', 'failed', 'refunded', 'refund_pending'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

export const Payment = defineEntity({
  name: 'Payment',
  tableName: 'payments',
  properties: {
    // A uuid because the payment.* event contracts carry it as one.
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    // bigint like the order service's sequence, exact as a JS number. Null for money Telegram took
    // for an invoice payload that names no order of ours (owed back, `not_payable`).
    orderId: p.bigint('number').nullable(),
    // Whose money it is: the buyer from stock.reserved, or the payer Telegram took it from.
    // GET /payments shows a payment to this user only.
    userId: p.uuid(),
    status: p.enum(paymentStatuses),
    // Rows from before the column existed were all taken by the simulated provider.
    method: p.enum(paymentMethods).default('simulated'),
    amountCents: p.integer(),
    currency: p.character().length(3),
    // Why the provider declined; null when it succeeded.
    reason: p.string().length(500).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    // When the money went back.
    refundedAt: p.datetime().nullable(),
    // Telegram's ids of a payment it took (`telegram`, `stars`); null for the simulated provider.
    telegramPaymentChargeId: p.string().length(255).nullable().unique(),
    providerPaymentChargeId: p.string().length(255).nullable(),
    // Who paid, in Telegram: a Stars refund goes back to this user.
    telegramUserId: p.bigint('number').nullable(),
    // Why money is owed back (`refund_pending`) or was given back.
    refundReason: p.enum(refundReasons).nullable(),
    // A Stars refund that failed is tried again at `refundNextAt`; `refundError` says what Telegram answered.
    refundAttempts: p.integer().default(0),
    refundNextAt: p.datetime().nullable(),
    refundError: p.text().nullable(),
  },
  uniques: [
    // The charge this service asks for itself (simulated provider, or a charge that fails for
    // want of a method) happens once per order, whatever races the consumers run into.
    {
      name: 'payments_order_charge_unique',
      properties: ['orderId'],
      where: 'telegram_payment_charge_id is null',
    },
    // At most one payment is kept per order; a second Telegram charge is recorded to be refunded.
    { name: 'payments_order_kept_unique', properties: ['orderId'], where: "status = 'succeeded'" },
  ],
  indexes: [
    { name: 'payments_order_id_idx', properties: ['orderId'] },
    {
      name: 'payments_star_refunds_idx',
      properties: ['refundNextAt'],
      where: "status = 'refund_pending' and method = 'stars'",
    },
    { name: 'payments_status_created_idx', properties: ['status', 'createdAt'] },
  ],
});
export type Payment = InferEntity<typeof Payment>;

/**
 * An order cancelled before it was paid, from `order.cancelled`: never charged from then on, and
 * refunded if it was charged already. Written under the order's charge lock.
 */
export const OrderCancellation = defineEntity({
  name: 'OrderCancellation',
  tableName: 'order_cancellations',
  properties: {
    orderId: p.bigint('number').primary().autoincrement(false),
    userId: p.uuid(),
    reason: p.enum(cancelReasons),
    cancelledAt: p.datetime().defaultRaw('now()'),
  },
});
export type OrderCancellation = InferEntity<typeof OrderCancellation>;

/**
 * The Telegram invoice a reserved order waits to be paid by (`payment.requested`): what
 * pre-checkout and a recorded payment are checked against. Written under the order's charge lock.
 */
export const Invoice = defineEntity({
  name: 'Invoice',
  tableName: 'invoices',
  properties: {
    orderId: p.bigint('number').primary().autoincrement(false),
    // The buyer: only they may pay it.
    userId: p.uuid(),
    method: p.enum(invoiceMethods),
    amountCents: p.integer(),
    currency: p.character().length(3),
    // The order's lines, for the receipt `payment.succeeded` carries.
    items: p.json<EventData<'stock.reserved'>['items']>(),
    // The order's flow, kept on the events of its payment.
    correlationId: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Invoice = InferEntity<typeof Invoice>;

export const entities = [Payment, OrderCancellation, Invoice, ...messagingEntities];

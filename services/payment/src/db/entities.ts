import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { cancelReasons, messagingEntities } from '@shop/shared';

/** `refund_pending`: a refund asked of a provider that answers later; `refunded` once given back. */
export const paymentStatuses = ['succeeded', 'failed', 'refunded', 'refund_pending'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/** How a payment was taken (the contract's `method`); one entry per provider the shop has. */
export const paymentMethods = ['simulated'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

export const Payment = defineEntity({
  name: 'Payment',
  tableName: 'payments',
  properties: {
    // A uuid because the payment.* event contracts carry it as one.
    id: p
      .uuid()
      .primary()
      .onCreate(() => crypto.randomUUID()),
    // Unique: exactly one payment per order, whatever races the consumers run into.
    // bigint like the order service's sequence, exact as a JS number.
    orderId: p.bigint('number').unique(),
    // The buyer from order.created: GET /payments shows a payment to this user only.
    userId: p.uuid(),
    status: p.enum(paymentStatuses),
    // Rows from before the column existed were all taken by the simulated provider.
    method: p.enum(paymentMethods).default('simulated'),
    amountCents: p.integer(),
    currency: p.character().length(3),
    // Why the provider declined; null when it succeeded.
    reason: p.string().length(500).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    // When the money went back (the order was cancelled after it was charged).
    refundedAt: p.datetime().nullable(),
  },
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

export const entities = [Payment, OrderCancellation, ...messagingEntities];

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { messagingEntities } from '@shop/shared';

export const paymentStatuses = ['succeeded', 'failed'] as const;
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
  },
});
export type Payment = InferEntity<typeof Payment>;

export const entities = [Payment, ...messagingEntities];

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { messagingEntities } from '@shop/shared';

export const orderStatuses = ['pending', 'paid', 'payment_failed'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const Order = defineEntity({
  name: 'Order',
  tableName: 'orders',
  properties: {
    // The order number users see ("#N"): a sequence, exact as a JS number far beyond any real count.
    id: p.bigint('number').primary().autoincrement(),
    userId: p.uuid(),
    status: p.enum(orderStatuses).default('pending'),
    totalCents: p.integer(),
    currency: p.character().length(3),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    items: () => p.oneToMany(OrderItem).mappedBy('order'),
  },
  // "My orders, newest first" is the one list query.
  indexes: [{ name: 'orders_user_id_created_at_index', properties: ['userId', 'createdAt'] }],
});
export type Order = InferEntity<typeof Order>;

export const OrderItem = defineEntity({
  name: 'OrderItem',
  tableName: 'order_items',
  properties: {
    // Also keeps the items in the order the buyer listed them.
    id: p.bigint('number').primary().autoincrement(),
    order: () => p.manyToOne(Order).deleteRule('cascade').index(),
    productId: p.integer(),
    // Name and price as the catalog had them when the order was placed: later edits do not rewrite history.
    name: p.string().length(200),
    unitPriceCents: p.integer(),
    quantity: p.integer(),
  },
});
export type OrderItem = InferEntity<typeof OrderItem>;

/** A used Idempotency-Key and the response it got; the primary key is what makes a key count once per user. */
export const IdempotencyKey = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  properties: {
    userId: p.uuid().primary(),
    key: p.string().length(200).primary(),
    // SHA-256 of the canonical request body: the same key with another body is a client bug (422).
    requestHash: p.string().length(64),
    // Written in the same statement as the key (store/insert-order.ts), so other requests never
    // see a key without its response; nullable only because the column always was.
    responseStatus: p.smallint().nullable(),
    // `json`, not `jsonb`: it keeps the text as written, so a replay has the first answer's key order.
    responseBody: p.json<unknown>().columnType('json').nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime().index(),
  },
});
export type IdempotencyKey = InferEntity<typeof IdempotencyKey>;

export const entities = [Order, OrderItem, IdempotencyKey, ...messagingEntities];

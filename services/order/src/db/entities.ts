import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { cancelReasons, messagingEntities, orderChannels } from '@shop/shared';
import { orderStatuses } from '../domain/order-status.ts';

export { orderStatuses, type OrderStatus } from '../domain/order-status.ts';

export const Order = defineEntity({
  name: 'Order',
  tableName: 'orders',
  properties: {
    // The order number users see ("#N"): a sequence, exact as a JS number far beyond any real count.
    id: p.bigint('number').primary().autoincrement(),
    userId: p.uuid(),
    status: p.enum(orderStatuses).default('pending'),
    // Set when the order is cancelled: why.
    cancelReason: p.enum(cancelReasons).nullable(),
    // Whoever cancelled it may say why (the merchant's words are shown to the buyer).
    cancelNote: p.text().nullable(),
    // Set when the catalog reserved the stock: the order is cancelled if not paid by then.
    reservedUntil: p.datetime().nullable(),
    // The merchant's note for the buyer when shipping it (a carrier and tracking number).
    trackingNote: p.text().nullable(),
    totalCents: p.integer(),
    currency: p.character().length(3),
    // Where the buyer placed it (how it is paid); null for the chat, and for orders from before channels.
    channel: p.enum(orderChannels).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    items: () => p.oneToMany(OrderItem).mappedBy('order'),
    history: () => p.oneToMany(OrderStatusChange).mappedBy('order'),
  },
  indexes: [
    // "My orders, newest first" is the buyer's list query.
    { name: 'orders_user_id_created_at_index', properties: ['userId', 'createdAt'] },
    // The merchant's lists: every order, or those in one status, newest first.
    { name: 'orders_created_at_index', properties: ['createdAt'] },
    { name: 'orders_status_created_at_index', properties: ['status', 'createdAt'] },
    // The expiry worker's look for reservations that ran out.
    {
      name: 'orders_reserved_until_index',
      properties: ['reservedUntil'],
      where: { status: 'awaiting_payment' },
    },
  ],
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

/**
 * Every status an order moved to after `pending` (which it has from `createdAt`), written in the
 * transaction of the move.
 */
export const OrderStatusChange = defineEntity({
  name: 'OrderStatusChange',
  tableName: 'order_status_history',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    order: () => p.manyToOne(Order).deleteRule('cascade').index(),
    status: p.enum(orderStatuses),
    at: p.datetime().defaultRaw('now()'),
  },
});
export type OrderStatusChange = InferEntity<typeof OrderStatusChange>;

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

/** Where an order goes; a row of its own, so no constraint on `orders` ever reports these values. */
export const OrderDelivery = defineEntity({
  name: 'OrderDelivery',
  tableName: 'order_deliveries',
  properties: {
    order: () => p.oneToOne(Order).primary().owner().deleteRule('cascade'),
    name: p.string().length(100),
    phone: p.string().length(40),
    address: p.string().length(500),
  },
});
export type OrderDelivery = InferEntity<typeof OrderDelivery>;

/** One line of a buyer's cart; the primary key keeps one line per product. */
export const CartItem = defineEntity({
  name: 'CartItem',
  tableName: 'cart_items',
  properties: {
    userId: p.uuid().primary(),
    productId: p.integer().primary(),
    quantity: p.integer(),
    // The name the catalog gave when the line was last set: the cart can still name a product
    // the catalog has since deleted.
    name: p.string().length(200),
    // Lines are listed in the order they were first added.
    addedAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type CartItem = InferEntity<typeof CartItem>;

export const entities = [
  Order,
  OrderItem,
  OrderStatusChange,
  OrderDelivery,
  CartItem,
  IdempotencyKey,
  ...messagingEntities,
];

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { InboxMessage, type EventData } from '@shop/shared';
import { MESSAGE_KINDS, type Shortage } from '../domain/messages.ts';

export type OrderItem = EventData<'order.created'>['items'][number];

/** Who can be told, from auth's `user.telegram_linked`: kept here so sending works while auth is down. */
export const Recipient = defineEntity({
  name: 'Recipient',
  tableName: 'recipients',
  properties: {
    userId: p.uuid().primary(),
    // In a private chat the chat id is the user's Telegram id; up to 52 bits.
    telegramId: p.bigint('number'),
    languageCode: p.string().length(35).nullable(),
    // occurredAt of the link event applied last: an older event arriving late changes nothing.
    linkedAt: p.datetime(),
    // Set on a 403 (the user blocked the bot); cleared when the user links a chat again.
    unreachableAt: p.datetime().nullable(),
  },
});
export type Recipient = InferEntity<typeof Recipient>;

/** What an order contained, from `order.created`: the message lists it without asking the order service. */
export const OrderSummary = defineEntity({
  name: 'OrderSummary',
  tableName: 'order_summaries',
  properties: {
    orderId: p.bigint('number').primary().autoincrement(false),
    userId: p.uuid(),
    items: p.json<OrderItem[]>(),
    totalCents: p.bigint('number'),
    currency: p.string().length(3),
    receivedAt: p.datetime().defaultRaw('now()'),
  },
});
export type OrderSummary = InferEntity<typeof OrderSummary>;

export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'skipped', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * One message owed to a buyer per change of their order (paid, shipped, delivered, cancelled,
 * payment failed, refunded). `sending` is committed before the Bot API is called, so a crash can never lead to a
 * second message (see workers/sender.ts).
 */
export const Notification = defineEntity({
  name: 'Notification',
  tableName: 'notifications',
  properties: {
    eventId: p.uuid().primary(),
    kind: p.enum(MESSAGE_KINDS),
    orderId: p.bigint('number'),
    userId: p.uuid().index(),
    // The payment a payment event is about; null for the order's own events.
    paymentId: p.uuid().nullable(),
    // A decline's code, or why the order was cancelled.
    reason: p.text().nullable(),
    // A cancellation for lack of stock: the lines that ran short.
    shortages: p.json<Shortage[]>().nullable(),
    // The merchant's words: a shipment's tracking note, or why the order was cancelled.
    note: p.text().nullable(),
    // A cancellation of an order that had been paid: the buyer is told it is being refunded.
    wasPaid: p.boolean().default(false),
    status: p.enum(NOTIFICATION_STATUSES).default('pending'),
    attempts: p.integer().default(0),
    // A pending row is looked at again from then on (sooner when its missing data arrives).
    nextAttemptAt: p.datetime().defaultRaw('now()'),
    claimedAt: p.datetime().nullable(),
    chatId: p.bigint('number').nullable(),
    telegramMessageId: p.bigint('number').nullable(),
    lastError: p.text().nullable(),
    sentAt: p.datetime().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
  },
  // A republished event (a new id for the same change of the same order) must not tell the user twice.
  uniques: [{ name: 'notifications_order_kind_unique', properties: ['orderId', 'kind'] }],
  indexes: [
    { name: 'notifications_due_idx', properties: ['nextAttemptAt'], where: { status: 'pending' } },
    { name: 'notifications_sending_idx', properties: ['claimedAt'], where: { status: 'sending' } },
  ],
});
export type Notification = InferEntity<typeof Notification>;

// Only the inbox of the messaging kit: this service consumes events and publishes none.
export const entities = [Recipient, OrderSummary, Notification, InboxMessage];

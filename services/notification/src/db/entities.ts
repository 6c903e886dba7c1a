import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { InboxMessage, paymentMethods, type EventData } from '@shop/shared';
import { ALERT_KINDS, type AlertPayload } from '../domain/alerts.ts';
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
    // How the merchant's alerts name the user as a buyer (their Telegram first name).
    firstName: p.string().length(128).nullable(),
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
 * payment failed, refund under way, refunded) and per invoice to pay. `sending` is committed
 * before the Bot API is called, so a crash can never lead to a second message (see
 * workers/sender.ts). An invoice's row keeps where it was sent, so the message that the invoice
 * expired can delete it.
 */
export const Notification = defineEntity({
  name: 'Notification',
  tableName: 'notifications',
  properties: {
    eventId: p.uuid().primary(),
    kind: p.enum(MESSAGE_KINDS),
    // Null for a refund of money taken for no order of the shop (told without an order number).
    orderId: p.bigint('number').nullable(),
    userId: p.uuid().index(),
    // The payment a payment event is about; null for the order's own events.
    paymentId: p.uuid().nullable(),
    // A decline's code, why the order was cancelled, or why a payment is refunded.
    reason: p.text().nullable(),
    // A cancellation for lack of stock: the lines that ran short.
    shortages: p.json<Shortage[]>().nullable(),
    // The merchant's words: a shipment's tracking note, or why the order was cancelled.
    note: p.text().nullable(),
    // A cancellation of an order that had been paid: the buyer is told it is being refunded.
    wasPaid: p.boolean().default(false),
    // How the payment is taken: an invoice's method, a refund's.
    method: p.enum(paymentMethods).nullable(),
    // An invoice's payload, as the payment service issued it.
    invoicePayload: p.string().length(128).nullable(),
    // What a refund gives back: the payment's amount, which need not be the order's total.
    amountCents: p.bigint('number').nullable(),
    amountCurrency: p.string().length(3).nullable(),
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
  // A republished event (a new id for the same change of the same order, or of the same payment)
  // must not tell the user twice; two payments of one order may each be refunded.
  uniques: [
    {
      name: 'notifications_order_kind_payment_unique',
      expression:
        'create unique index "notifications_order_kind_payment_unique" on "notifications" ("order_id", "kind", "payment_id") nulls not distinct',
    },
  ],
  indexes: [
    { name: 'notifications_due_idx', properties: ['nextAttemptAt'], where: { status: 'pending' } },
    { name: 'notifications_sending_idx', properties: ['claimedAt'], where: { status: 'sending' } },
  ],
});
export type Notification = InferEntity<typeof Notification>;

/** An operator's admin grant of a user, from auth's `user.admin_grant_changed`; the newest wins. */
export const AdminGrant = defineEntity({
  name: 'AdminGrant',
  tableName: 'admin_grants',
  properties: {
    userId: p.uuid().primary(),
    granted: p.boolean(),
    // occurredAt of the event applied last.
    changedAt: p.datetime(),
  },
});
export type AdminGrant = InferEntity<typeof AdminGrant>;

/** One row (id 1): the Telegram ids ADMIN_TELEGRAM_IDS named when auth last started (`admins.configured`). */
export const ConfiguredAdmins = defineEntity({
  name: 'ConfiguredAdmins',
  tableName: 'configured_admins',
  properties: {
    id: p.smallint().primary().autoincrement(false),
    telegramIds: p.array<number>().columnType('bigint[]'),
    configuredAt: p.datetime(),
  },
});
export type ConfiguredAdmins = InferEntity<typeof ConfiguredAdmins>;

export const ALERT_STATUSES = ['pending', 'sending', 'sent', 'skipped', 'failed'] as const;

/**
 * One alert owed to one admin's chat for one event (a paid order, a failed payment, an order out
 * of stock, low stock): made for every admin chat known when the event arrives, and sent by the
 * same sender as the buyers' messages (`sending` committed before the Bot API call).
 */
export const AdminAlert = defineEntity({
  name: 'AdminAlert',
  tableName: 'admin_alerts',
  properties: {
    // What the alert is about (e.g. `order.paid:42`): a copy of the event, even under a new id,
    // lands on the same row.
    alertKey: p.string().length(100).primary(),
    chatId: p.bigint('number').primary(),
    adminUserId: p.uuid(),
    languageCode: p.string().length(35).nullable(),
    kind: p.enum(ALERT_KINDS),
    // The buyer an order's alert names (their first name is looked up when it is sent).
    buyerUserId: p.uuid().nullable(),
    // What the alert says; personal data (delivery details) for the admins' eyes only, never logged.
    payload: p.json<AlertPayload>(),
    status: p.enum(ALERT_STATUSES).default('pending'),
    attempts: p.integer().default(0),
    claimedAt: p.datetime().nullable(),
    telegramMessageId: p.bigint('number').nullable(),
    lastError: p.text().nullable(),
    sentAt: p.datetime().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
  },
  indexes: [
    { name: 'admin_alerts_due_idx', properties: ['createdAt'], where: { status: 'pending' } },
    { name: 'admin_alerts_sending_idx', properties: ['claimedAt'], where: { status: 'sending' } },
  ],
});
export type AdminAlert = InferEntity<typeof AdminAlert>;
export const ANNOUNCEMENT_STATUSES = ['sending', 'done'] as const;
export type AnnouncementStatus = (typeof ANNOUNCEMENT_STATUSES)[number];

/**
 * A message an admin sent to every buyer with a chat (POST /admin/announcements): text, or a
 * photo with `text` as its caption. One per admin and Idempotency-Key, so a double tap or a
 * retried request is one announcement. `done` once no delivery is left pending or sending.
 */
export const Announcement = defineEntity({
  name: 'Announcement',
  tableName: 'announcements',
  properties: {
    // Increasing: deliveries are claimed in (announcement, user) order, so the oldest goes first.
    id: p.bigint('number').primary(),
    adminUserId: p.uuid(),
    idempotencyKey: p.string().length(200),
    // sha256 of the request body: the same key with another body is refused (422).
    requestHash: p.string().length(64),
    text: p.text().nullable(),
    photoFileId: p.string().length(255).nullable(),
    status: p.enum(ANNOUNCEMENT_STATUSES).default('sending'),
    total: p.integer(),
    // The admin's chat and the message there that shows the progress; posted at most once.
    progressPosted: p.boolean().default(false),
    progressChatId: p.bigint('number').nullable(),
    progressMessageId: p.bigint('number').nullable(),
    // The progress text shown last: one replica edits per change.
    progressShown: p.text().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    finishedAt: p.datetime().nullable(),
  },
  uniques: [{ name: 'announcements_admin_key_unique', properties: ['adminUserId', 'idempotencyKey'] }],
  indexes: [{ name: 'announcements_sending_idx', properties: ['id'], where: { status: 'sending' } }],
});
export type Announcement = InferEntity<typeof Announcement>;

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'blocked', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One buyer an announcement is owed to, and how it went; made with the announcement, for every
 * chat known then and not unreachable. Claimed like a notification: `sending` commits before the
 * Bot API call (see workers/sender.ts), so a restart resumes with the rows still `pending`.
 */
export const AnnouncementDelivery = defineEntity({
  name: 'AnnouncementDelivery',
  tableName: 'announcement_deliveries',
  properties: {
    announcementId: p.bigint('number').primary().autoincrement(false),
    userId: p.uuid().primary(),
    chatId: p.bigint('number'),
    status: p.enum(DELIVERY_STATUSES).default('pending'),
    claimedAt: p.datetime().nullable(),
    sentAt: p.datetime().nullable(),
    telegramMessageId: p.bigint('number').nullable(),
    lastError: p.text().nullable(),
  },
  indexes: [
    {
      name: 'announcement_deliveries_pending_idx',
      properties: ['announcementId', 'userId'],
      where: { status: 'pending' },
    },
    { name: 'announcement_deliveries_sending_idx', properties: ['claimedAt'], where: { status: 'sending' } },
  ],
});
export type AnnouncementDelivery = InferEntity<typeof AnnouncementDelivery>;

// Only the inbox of the messaging kit: this service consumes events and publishes none.
export const entities = [
  Recipient,
  OrderSummary,
  Notification,
  AdminGrant,
  ConfiguredAdmins,
  AdminAlert,
  Announcement,
  AnnouncementDelivery,
  InboxMessage,
];

import { z } from 'zod';

/** The exchange every service publishes its events to (the contract in docs/architecture.md). */
export const DEFAULT_EXCHANGE = 'shop.events';

const id = z.number().int().positive();
const cents = z.number().int().nonnegative();
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR, or XTR for Telegram Stars');

const orderItems = z
  .array(
    z.object({
      productId: id,
      name: z.string().min(1),
      unitPriceCents: cents,
      quantity: z.number().int().positive(),
    }),
  )
  .min(1);

/**
 * Where a buyer placed an order, which decides how it is paid (docs/decisions/mini-app-session.md):
 * `chat` the bot's chat (a Telegram invoice in the chat), `mini_app` the storefront inside
 * Telegram (the same invoice, opened by the Mini App from an invoice link), `web` the storefront
 * in a browser (the web payment method; Telegram Stars cannot be paid there). An order without
 * one was placed in the chat.
 */
export const orderChannels = ['chat', 'mini_app', 'web'] as const;
export type OrderChannel = (typeof orderChannels)[number];

const orderCreated = z.object({
  orderId: id,
  userId: z.uuid(),
  items: orderItems,
  totalCents: cents,
  currency,
  /** Optional: absent is `chat` (every order before channels existed, and the bot's). */
  channel: z.enum(orderChannels).optional(),
});

/** Telegram user ids need up to 52 bits: still exact as a JS number. */
const telegramId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** One line of an order that the catalog could not reserve: what was asked for and what was left. */
const shortages = z
  .array(
    z.object({
      productId: id,
      /** The name as the order listed it (the buyer's language). */
      name: z.string().min(1),
      requested: z.number().int().positive(),
      available: z.number().int().nonnegative(),
    }),
  )
  .min(1);

/** Every status an order can be in (the contract's list; the order service owns the moves). */
export const orderStatuses = [
  'pending',
  'awaiting_payment',
  'paid',
  'shipped',
  'delivered',
  'cancelled',
  'payment_failed',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/**
 * Why an order was cancelled (`order.cancelled`'s `reason`, the order's `cancelReason`): the
 * catalog had too little stock, the reservation ran out before payment, the buyer or the
 * merchant cancelled it.
 */
export const cancelReasons = ['out_of_stock', 'expired', 'buyer', 'merchant'] as const;

/** A reason an order was cancelled. */
export type CancelReason = (typeof cancelReasons)[number];

/** The longest text a merchant may attach to an order (a tracking note, a cancellation's reason). */
export const MAX_ORDER_NOTE_LENGTH = 500;

/** A merchant's words about an order, trimmed: 1 to `MAX_ORDER_NOTE_LENGTH` characters. */
export const orderNote = z.string().trim().min(1).max(MAX_ORDER_NOTE_LENGTH);

/**
 * How a payment is taken (the payment API's `method`): `telegram` is an invoice paid through the
 * provider connected in @BotFather (TELEGRAM_PAYMENT_PROVIDER_TOKEN), `stars` an invoice paid in
 * Telegram Stars (`XTR`), `simulated` the stand-in provider of tests and benchmarks.
 */
export const paymentMethods = ['simulated', 'telegram', 'stars'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** The methods that send the buyer a Telegram invoice. */
export const invoiceMethods = ['telegram', 'stars'] as const;
export type InvoiceMethod = (typeof invoiceMethods)[number];

/** Telegram's ids of one payment: theirs, and the provider's (empty for Stars). */
const telegramCharge = {
  telegramPaymentChargeId: z.string().min(1).max(255),
  providerPaymentChargeId: z.string().max(255),
};

const paymentOutcome = {
  paymentId: z.uuid(),
  orderId: id,
  userId: z.uuid(),
  amountCents: cents,
  currency,
  /**
   * The order's items, as in its `order.created`, so that telling the buyer needs no other
   * event. Optional: a consumer must also handle an outcome without it.
   */
  items: orderItems.optional(),
  /** Optional: events from before methods existed were all `simulated`. */
  method: z.enum(paymentMethods).optional(),
  /** Set when Telegram took the money (`telegram` and `stars`). */
  telegramPaymentChargeId: telegramCharge.telegramPaymentChargeId.optional(),
  providerPaymentChargeId: telegramCharge.providerPaymentChargeId.optional(),
};

/**
 * Why money taken is being given back: the order was cancelled after it was paid (by the
 * merchant), or a payment arrived for an order that could no longer take it: its reservation
 * expired, it was cancelled, it was paid already, or the payer or amount did not match it.
 */
export const refundReasons = ['order_cancelled', 'order_expired', 'already_paid', 'not_payable'] as const;
export type RefundReason = (typeof refundReasons)[number];

const refundData = {
  paymentId: z.uuid(),
  /** Absent for money Telegram took for an invoice payload that names no order of ours (`not_payable`). */
  orderId: id.optional(),
  userId: z.uuid(),
  amountCents: cents,
  currency,
  method: z.enum(paymentMethods).optional(),
  reason: z.enum(refundReasons).optional(),
  telegramPaymentChargeId: telegramCharge.telegramPaymentChargeId.optional(),
  providerPaymentChargeId: telegramCharge.providerPaymentChargeId.optional(),
};

/**
 * Why a payment was declined: `payment.failed` carries one of these codes in `reason`, never a
 * sentence; whoever tells the buyer words it in the buyer's language. A provider may send a code
 * not listed here; consumers must then say something general rather than show the code.
 */
export const declineReasons = {
  /** The total is above what the provider accepts for one payment. */
  amountLimitExceeded: 'amount_limit_exceeded',
  /**
   * The shop has no way to take this currency: in production, an order in anything but `XTR`
   * while no payment provider is connected (TELEGRAM_PAYMENT_PROVIDER_TOKEN).
   */
  noPaymentMethod: 'no_payment_method',
} as const;

/** A decline reason this shop knows how to word. */
export type DeclineReason = (typeof declineReasons)[keyof typeof declineReasons];

/**
 * Every event the system exchanges: its payload schema and routing key, in one place.
 * Payload objects strip unknown keys instead of rejecting them, so a producer can add a field
 * before its consumers know about it.
 */
export const eventContracts = {
  'order.created': { routingKey: 'order.created', schema: orderCreated },
  /**
   * The catalog reserved every line of the order until it is paid or released. A copy of the
   * order's `order.created` payload, so that charging it needs no other event.
   */
  'stock.reserved': { routingKey: 'stock.reserved', schema: orderCreated },
  /** The catalog reserved nothing: these lines were short. */
  'stock.rejected': {
    routingKey: 'stock.rejected',
    schema: z.object({ orderId: id, userId: z.uuid(), shortages }),
  },
  /**
   * The order is paid: its reservation becomes a sale. With the delivery details the buyer gave,
   * for the merchant's alert (personal data: the logger redacts `delivery`).
   */
  'order.paid': {
    routingKey: 'order.paid',
    schema: orderCreated.extend({
      delivery: z.object({ name: z.string(), phone: z.string(), address: z.string() }).optional(),
    }),
  },
  /**
   * The order is cancelled: its reservation (if any) is released; an order cancelled after it was
   * paid (`wasPaid`, only by the merchant) is refunded and its sold units go back on hand.
   */
  'order.cancelled': {
    routingKey: 'order.cancelled',
    schema: z.object({
      orderId: id,
      userId: z.uuid(),
      reason: z.enum(cancelReasons),
      items: orderItems.optional(),
      /** With `out_of_stock`: the lines the catalog was short of. */
      shortages: shortages.optional(),
      /** The words of whoever cancelled it (the merchant's are shown to the buyer). */
      note: orderNote.optional(),
      /** True when the order had been paid: its payment is being refunded. */
      wasPaid: z.boolean().optional(),
    }),
  },
  /** The merchant sent the paid order, with a tracking note for the buyer if they gave one. */
  'order.shipped': {
    routingKey: 'order.shipped',
    schema: z.object({ orderId: id, userId: z.uuid(), trackingNote: orderNote.optional() }),
  },
  /** The shipped order reached the buyer. */
  'order.delivered': {
    routingKey: 'order.delivered',
    schema: z.object({ orderId: id, userId: z.uuid() }),
  },
  /** The order's payment failed: its reservation is released. */
  'order.payment_failed': {
    routingKey: 'order.payment_failed',
    schema: z.object({ orderId: id, userId: z.uuid(), items: orderItems }),
  },
  'payment.succeeded': { routingKey: 'payment.succeeded', schema: z.object(paymentOutcome) },
  'payment.failed': {
    routingKey: 'payment.failed',
    schema: z.object({ ...paymentOutcome, reason: z.string().min(1) }),
  },
  /**
   * The reserved order waits for the buyer to pay a Telegram invoice (`telegram` or `stars`):
   * notification sends it to the buyer's chat. `invoicePayload` names the order
   * (`invoicePayloadOf`); pre-checkout checks it against the order, never trusts it.
   */
  'payment.requested': {
    routingKey: 'payment.requested',
    schema: orderCreated.extend({
      method: z.enum(invoiceMethods),
      invoicePayload: z.string().min(1).max(128),
    }),
  },
  /** A payment taken for an order that was cancelled (or could not take it) has been given back. */
  'payment.refunded': {
    routingKey: 'payment.refunded',
    schema: z.object(refundData),
  },
  /**
   * Money is owed back and not yet returned: a Stars payment the payment service is refunding
   * through the Bot API, or a provider payment (`telegram`) the merchant must refund in the
   * provider's dashboard and then mark refunded. The buyer is told; for `telegram` the merchant too.
   */
  'payment.refund_pending': {
    routingKey: 'payment.refund_pending',
    schema: z.object({ ...refundData, method: z.enum(paymentMethods), reason: z.enum(refundReasons) }),
  },
  'user.telegram_linked': {
    routingKey: 'user.telegram_linked',
    schema: z.object({
      userId: z.uuid(),
      telegramId,
      languageCode: z.string().min(2).max(35).optional(),
      /** The Telegram profile's first name, as auth last heard it: how the merchant's alerts name the buyer. */
      firstName: z.string().min(1).max(128).optional(),
    }),
  },
  /**
   * A shop operator granted (`granted: true`) or withdrew an account's admin grant
   * (`npm run admin -- grant|revoke`); auth also repeats every standing grant when it starts.
   * The newest `occurredAt` of a user is their grant.
   */
  'user.admin_grant_changed': {
    routingKey: 'user.admin_grant_changed',
    schema: z.object({ userId: z.uuid(), granted: z.boolean() }),
  },
  /**
   * The Telegram ids ADMIN_TELEGRAM_IDS names, as auth read them when it started: the accounts
   * linked to them are admins (besides those granted). The newest `occurredAt` replaces the set.
   */
  'admins.configured': {
    routingKey: 'admins.configured',
    schema: z.object({ telegramIds: z.array(telegramId).max(10_000) }),
  },
  /**
   * A product's available stock (on hand minus reserved) fell from above `threshold`
   * (LOW_STOCK_THRESHOLD) to at most it, or to 0: once per crossing, not once per order.
   */
  'stock.low': {
    routingKey: 'stock.low',
    schema: z.object({
      productId: id,
      /** The product's English name; `nameRu` its Russian one. */
      name: z.string().min(1),
      nameRu: z.string().min(1).optional(),
      available: z.number().int().nonnegative(),
      threshold: z.number().int().nonnegative(),
    }),
  },
} as const;

/** An event name, which is also its routing key: `order.created`, `payment.failed`, ... */
export type EventType = keyof typeof eventContracts;

/** The payload (`data`) of event `T`. */
export type EventData<T extends EventType> = z.infer<(typeof eventContracts)[T]['schema']>;

/** The envelope every message carries; `id` is also the AMQP `messageId`. */
export interface EventEnvelope<T extends EventType = EventType> {
  id: string;
  type: T;
  /** ISO 8601 timestamp of the state change the event announces. */
  occurredAt: string;
  /** Id shared by every event of one flow (an order and its payment); the first event's id by default. */
  correlationId: string;
  data: EventData<T>;
}

/** One envelope per type in `T`, so that `switch (event.type)` narrows `event.data`. */
export type EventOf<T extends EventType = EventType> = { [K in T]: EventEnvelope<K> }[T];

/** The envelope without its payload; `data` is checked against the type's own schema. */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1).max(200),
  data: z.unknown(),
});

/** True when `type` names a registered event. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventContracts, type);
}

/** The routing key event `type` is published with. */
export function routingKeyOf(type: EventType): string {
  return eventContracts[type].routingKey;
}

/**
 * Builds a new event: a fresh uuid id, `occurredAt` now, the payload validated against its
 * schema (a producer bug throws here rather than reaching consumers as a dead letter).
 */
export function createEvent<T extends EventType>(
  type: T,
  data: EventData<T>,
  options: { correlationId?: string; occurredAt?: Date } = {},
): EventEnvelope<T> {
  const eventId = crypto.randomUUID();
  const parsed = eventContracts[type].schema.parse(data) as EventData<T>;
  return {
    id: eventId,
    type,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    correlationId: options.correlationId ?? eventId,
    data: parsed,
  };
}

/** Why a message could not be read: not JSON at all, or JSON that breaks the contract. */
export type InvalidEventReason = 'malformed' | 'schema_invalid';

/** A message body that is not a valid event; consumers send it to the dead-letter queue at once. */
export class InvalidEventError extends Error {
  readonly reason: InvalidEventReason;
  /** zod's issues for `schema_invalid`; empty for `malformed`. */
  readonly issues: readonly z.core.$ZodIssue[];

  constructor(reason: InvalidEventReason, message: string, issues: readonly z.core.$ZodIssue[] = []) {
    super(message);
    this.name = 'InvalidEventError';
    this.reason = reason;
    this.issues = issues;
  }
}

/**
 * Reads a message body into a typed envelope. Throws `InvalidEventError` with reason
 * `malformed` (not UTF-8 JSON) or `schema_invalid` (bad envelope, unknown type or bad payload).
 */
export function parseEvent(raw: Buffer): EventOf {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (error) {
    throw new InvalidEventError('malformed', `not a JSON document: ${(error as Error).message}`);
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw new InvalidEventError(
      'schema_invalid',
      `invalid envelope: ${z.prettifyError(envelope.error)}`,
      envelope.error.issues,
    );
  }
  const { type } = envelope.data;
  if (!isEventType(type))
    throw new InvalidEventError('schema_invalid', `unknown event type ${JSON.stringify(type)}`);
  const data = eventContracts[type].schema.safeParse(envelope.data.data);
  if (!data.success) {
    const issues = data.error.issues.map((issue) => ({ ...issue, path: ['data', ...issue.path] }));
    throw new InvalidEventError(
      'schema_invalid',
      `invalid ${type} payload: ${z.prettifyError(data.error)}`,
      issues,
    );
  }
  return { ...envelope.data, type, data: data.data } as EventOf;
}

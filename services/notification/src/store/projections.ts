import type { EventData, EventOf, PaymentMethod, ServiceEntityManager } from '@shop/shared';
import type { OrderItem } from '../db/entities.ts';

/**
 * A projection handler and an outcome handler of the same order (or user) run concurrently on
 * separate queues and cannot see each other's uncommitted rows: the summary's makeDue would miss
 * an outcome committing meanwhile, which the sender would then put off until its wait expires
 * (NOTIFICATION_MAX_WAIT_SECONDS). So a projection takes the order's (or user's)
 * transaction-scoped lock first, and an outcome takes both in shared mode (outcomes never wait
 * for each other): whichever of the two comes second runs after the first committed, and
 * makeDue, a later statement, sees the outcome.
 */
export const lockKey = (subject: 'order' | 'user', id: string | number) => `notification:${subject}:${id}`;
const LOCKED = `locked as (select pg_advisory_xact_lock(hashtextextended(?, 0)))`;
const SHARED_LOCKED = `locked as (select pg_advisory_xact_lock_shared(hashtextextended(?, 0)),
  pg_advisory_xact_lock_shared(hashtextextended(?, 0)))`;

/**
 * Takes the advisory locks of `keys` in one statement and in one fixed order (by their hash),
 * so that a batch of projections and a batch of outcomes over the same orders cannot each hold
 * a lock the other waits for. The statements below then take their own locks again, at no cost:
 * a transaction may hold an advisory lock several times.
 */
export async function lockInOrder(em: ServiceEntityManager, keys: string[], mode: 'exclusive' | 'shared') {
  const lock = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await em.execute(
    `select count(${lock}(h)) from (
       select distinct hashtextextended(k, 0) as h from unnest(array[?]::text[]) as k order by h) as keys`,
    [keys],
    'all',
  );
}

/**
 * Makes pending notifications of these rows due now: they may have just become sendable. True
 * when there were any (the usual case, the summary first, has none and costs the sender nothing).
 */
export async function makeDue(
  em: ServiceEntityManager,
  column: 'user_id' | 'order_id',
  value: string | number,
): Promise<boolean> {
  const { affectedRows } = await em.execute<{ affectedRows: number }>(
    `update notifications set next_attempt_at = now() where ${column} = ? and status = 'pending'`,
    [value],
    'run',
  );
  return affectedRows > 0;
}

/**
 * Remembers (or moves) the user's chat, language and first name, under the user's lock. Linking again also
 * clears an earlier "unreachable": the user is talking to the bot, so it is no longer blocked.
 * Link events can arrive out of order; the newest `occurredAt` wins.
 */
export async function saveRecipient(em: ServiceEntityManager, event: EventOf<'user.telegram_linked'>) {
  const { userId, telegramId, languageCode, firstName } = event.data;
  await em.execute(
    `with ${LOCKED}
     insert into recipients (user_id, telegram_id, language_code, first_name, linked_at, unreachable_at)
     select ?, ?, ?, ?, ?, null from locked
     on conflict (user_id) do update set telegram_id = excluded.telegram_id,
       language_code = excluded.language_code, first_name = excluded.first_name,
       linked_at = excluded.linked_at, unreachable_at = null
     where recipients.linked_at <= excluded.linked_at`,
    [
      lockKey('user', userId),
      userId,
      telegramId,
      languageCode ?? null,
      firstName ?? null,
      new Date(event.occurredAt),
    ],
    'run',
  );
}

/** Keeps what the message will list, under the order's lock; the first copy wins (orders never change). */
export async function saveOrderSummary(em: ServiceEntityManager, event: EventOf<'order.created'>) {
  const { orderId, userId, items, totalCents, currency } = event.data;
  await em.execute(
    `with ${LOCKED}
     insert into order_summaries (order_id, user_id, items, total_cents, currency)
     select ?, ?, ?, ?, ? from locked on conflict (order_id) do nothing`,
    [lockKey('order', orderId), orderId, userId, JSON.stringify(items), totalCents, currency],
    'run',
  );
}

/** The events that owe the buyer a message (`payment.requested`: an invoice). */
export const OWED_EVENTS = [
  'order.paid',
  'order.shipped',
  'order.delivered',
  'order.cancelled',
  'payment.failed',
  'payment.refunded',
  'payment.requested',
  'payment.refund_pending',
] as const;
export type OwedEvent = EventOf<(typeof OWED_EVENTS)[number]>;

interface Owed {
  paymentId: string | null;
  reason: string | null;
  shortages: EventData<'stock.rejected'>['shortages'] | null;
  note: string | null;
  wasPaid: boolean;
  method: PaymentMethod | null;
  invoicePayload: string | null;
  /** What a refund gives back. */
  amount: { cents: number; currency: string } | null;
  /** The order's lines and total, when the event carries them. */
  summary: { items: OrderItem[]; totalCents: number; currency: string } | null;
}

const nothing: Owed = {
  paymentId: null,
  reason: null,
  shortages: null,
  note: null,
  wasPaid: false,
  method: null,
  invoicePayload: null,
  amount: null,
  summary: null,
};

/** What the order's message needs from the event; the others list the order from its summary (order.created). */
function owedOf(event: OwedEvent): Owed {
  switch (event.type) {
    case 'order.paid': {
      const { items, totalCents, currency } = event.data;
      return { ...nothing, summary: { items, totalCents, currency } };
    }
    case 'order.shipped':
      return { ...nothing, note: event.data.trackingNote ?? null };
    case 'order.delivered':
      return nothing;
    case 'order.cancelled':
      // Its items come without a total: the order's summary gives that.
      return {
        ...nothing,
        reason: event.data.reason,
        shortages: event.data.shortages ?? null,
        note: event.data.note ?? null,
        wasPaid: event.data.wasPaid ?? false,
      };
    case 'payment.failed': {
      const { paymentId, reason, items, amountCents: totalCents, currency } = event.data;
      return { ...nothing, paymentId, reason, summary: items ? { items, totalCents, currency } : null };
    }
    case 'payment.requested': {
      const { items, totalCents, currency, method, invoicePayload } = event.data;
      return { ...nothing, method, invoicePayload, summary: { items, totalCents, currency } };
    }
    case 'payment.refund_pending':
    case 'payment.refunded': {
      const { paymentId, reason, method, amountCents: cents, currency } = event.data;
      return {
        ...nothing,
        paymentId,
        reason: reason ?? null,
        method: method ?? null,
        amount: { cents, currency },
      };
    }
  }
}

/**
 * Records the message owed for a change of an order (or the invoice owed for it), under the
 * order's and the user's shared locks; an event that carries the order's lines and total is its
 * own summary, so the message need not wait for order.created. The event id (primary key) and
 * (order, kind, payment) make every copy of an event, even one republished under a new id, land
 * on the same single row: false for a copy.
 */
export async function recordOwedMessage(em: ServiceEntityManager, event: OwedEvent): Promise<boolean> {
  // A refund of money taken for no order of the shop: owed with no order (and no summary).
  const orderId = event.data.orderId ?? null;
  const { userId } = event.data;
  const { paymentId, reason, shortages, note, wasPaid, method, invoicePayload, amount, summary } =
    owedOf(event);
  const summaryItems = summary ? JSON.stringify(summary.items) : null;
  const inserted = await em.execute<{ affectedRows: number }>(
    `with ${SHARED_LOCKED},
     summary as (insert into order_summaries (order_id, user_id, items, total_cents, currency)
       select ?, ?, ?::jsonb, ?, ? from locked where ?::jsonb is not null on conflict (order_id) do nothing)
     insert into notifications (event_id, kind, order_id, user_id, payment_id, reason, shortages, note, was_paid,
       method, invoice_payload, amount_cents, amount_currency)
     select ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ? from locked on conflict do nothing`,
    [
      orderId === null ? lockKey('user', userId) : lockKey('order', orderId),
      lockKey('user', userId),
      orderId,
      userId,
      summaryItems,
      summary?.totalCents ?? null,
      summary?.currency ?? null,
      summaryItems,
      event.id,
      event.type,
      orderId,
      userId,
      paymentId,
      reason,
      shortages ? JSON.stringify(shortages) : null,
      note,
      wasPaid,
      method,
      invoicePayload,
      amount?.cents ?? null,
      amount?.currency ?? null,
    ],
    'run',
  );
  return inserted.affectedRows > 0;
}

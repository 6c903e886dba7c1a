/**
 * The books at the end, read from the services' own databases, the broker and the Telegram
 * sandbox's record of every Bot API call, not from anything the services say about themselves.
 */
import type { Shop } from '../support/shop.ts';
import { queueDepths } from './broker.ts';

/** What a buyer's chat shows for an order (services/notification/src/domain/messages.ts, English). */
const NOTIFICATION = /^(✅ Order #(\d+) is paid\.|❌ Payment for order #(\d+) failed\.)/;
const OUTBOX_SERVICES = ['auth', 'catalog', 'order', 'payment'] as const;

export interface Snapshot {
  orders: Map<number, { userId: string; status: string }>;
  /** Payments per order id, with their statuses. */
  payments: Map<number, string[]>;
  /** Notifications per order id: which outcome each told, and to which chat. */
  notifications: Map<number, { paid: boolean; chatId: number; at: number }[]>;
  chatOf: Map<string, number>;
  queues: Map<string, number>;
  /** Events still waiting in a service's outbox. */
  unpublished: number;
  /** The sandbox keeps its last 10 000 calls: an older one dropped would hide a notification. */
  callsDropped: boolean;
}

/** One query at a time: the servers are shared, and PostgreSQL's connection slots are few. */
export async function snapshot(shop: Shop): Promise<Snapshot> {
  const orders = await shop.query<{ id: string; user_id: string; status: string }>(
    'order',
    'select id, user_id, status from orders',
  );
  const payments = await shop.query<{ order_id: string; status: string }>(
    'payment',
    'select order_id, status from payments',
  );
  const users = await shop.query<{ id: string; telegram_id: string | null }>(
    'auth',
    'select id, telegram_id from users',
  );
  let unpublished = 0;
  for (const name of OUTBOX_SERVICES) {
    const [row] = await shop.query<{ n: number }>(
      name,
      'select count(*)::int as n from outbox where published_at is null',
    );
    unpublished += row?.n ?? 0;
  }
  const calls = await shop.sandbox.calls({ method: 'sendMessage' });
  const queues = await queueDepths(shop.vhost);
  const snap: Snapshot = {
    orders: new Map(orders.map((row) => [Number(row.id), { userId: row.user_id, status: row.status }])),
    payments: new Map(),
    notifications: new Map(),
    chatOf: new Map(users.map((row) => [row.id, Number(row.telegram_id)])),
    queues,
    unpublished,
    callsDropped: (await shop.sandbox.calls()).at(0)?.seq !== 1,
  };
  for (const row of payments) {
    const id = Number(row.order_id);
    snap.payments.set(id, [...(snap.payments.get(id) ?? []), row.status]);
  }
  for (const call of calls) {
    const match = call.ok
      ? NOTIFICATION.exec(typeof call.params.text === 'string' ? call.params.text : '')
      : null;
    if (!match) continue;
    const id = Number(match[2] ?? match[3]);
    const told = { paid: match[2] !== undefined, chatId: Number(call.params.chat_id), at: call.at };
    snap.notifications.set(id, [...(snap.notifications.get(id) ?? []), told]);
  }
  return snap;
}

export interface Audit {
  /** Accepted (201) orders missing from the order database, or there under another buyer. */
  lost: number[];
  paidTwice: number[];
  withoutPayment: number[];
  /** Final status that disagrees with the payment (paid without a succeeded payment...). */
  wrongStatus: number[];
  stillPending: number[];
  notifiedTwice: number[];
  notNotified: number[];
  /** A notification in the wrong chat or telling the wrong outcome. */
  wrongNotification: number[];
  /** `queue: depth` for every queue holding more than the test planted. */
  queueLeftovers: string[];
  unpublished: number;
  callsDropped: boolean;
}

/** Checks every order in the database (not only accepted ones) and every queue. */
export function audit(
  snap: Snapshot,
  accepted: readonly { orderId: number; userId: string }[],
  plantedDeadLetters: ReadonlyMap<string, readonly string[]>,
): Audit {
  const result: Audit = {
    lost: accepted
      .filter((order) => snap.orders.get(order.orderId)?.userId !== order.userId)
      .map((order) => order.orderId),
    paidTwice: [],
    withoutPayment: [],
    wrongStatus: [],
    stillPending: [],
    notifiedTwice: [],
    notNotified: [],
    wrongNotification: [],
    queueLeftovers: [],
    unpublished: snap.unpublished,
    callsDropped: snap.callsDropped,
  };
  for (const [id, order] of snap.orders) {
    const payments = snap.payments.get(id) ?? [];
    const told = snap.notifications.get(id) ?? [];
    if (payments.length > 1) result.paidTwice.push(id);
    if (payments.length === 0) result.withoutPayment.push(id);
    if (order.status === 'pending') result.stillPending.push(id);
    else if (
      payments.length === 1 &&
      order.status !== (payments[0] === 'succeeded' ? 'paid' : 'payment_failed')
    )
      result.wrongStatus.push(id);
    if (told.length > 1) result.notifiedTwice.push(id);
    if (told.length === 0) result.notNotified.push(id);
    const chat = snap.chatOf.get(order.userId);
    if (
      told.some(
        (t) => t.chatId !== chat || (order.status !== 'pending' && t.paid !== (order.status === 'paid')),
      )
    )
      result.wrongNotification.push(id);
  }
  for (const [queue, depth] of snap.queues) {
    const planted = plantedDeadLetters.get(queue)?.length ?? 0;
    if (depth !== planted) result.queueLeftovers.push(`${queue}: ${depth} (planted ${planted})`);
  }
  return result;
}

/** Nothing left to happen: every order final and told once, queues as planted, outboxes empty. */
export function settled(a: Audit): boolean {
  return (
    a.stillPending.length === 0 &&
    a.withoutPayment.length === 0 &&
    a.notNotified.length === 0 &&
    a.queueLeftovers.length === 0 &&
    a.unpublished === 0
  );
}

/** The accepted order that waited longest from its 201 to its buyer's message. */
export function slowestNotification(
  snap: Snapshot,
  accepted: readonly { orderId: number; acceptedAt: number }[],
): { orderId: number; acceptedAt: number; seconds: number } | null {
  let slowest: { orderId: number; acceptedAt: number; seconds: number } | null = null;
  for (const { orderId, acceptedAt } of accepted) {
    const first = snap.notifications.get(orderId)?.[0];
    if (!first) continue;
    const seconds = (first.at - acceptedAt) / 1_000;
    if (!slowest || seconds > slowest.seconds) slowest = { orderId, acceptedAt, seconds };
  }
  return slowest;
}

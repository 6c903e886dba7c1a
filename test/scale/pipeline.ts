/**
 * Where a batch of orders stands across the whole pipeline, read from where a user and an operator
 * would look: the order and payment databases, the messages Telegram received, notification's and
 * the outboxes' leftovers.
 */
import { eventually } from '@shop/testkit';
import type { Shop } from '../support/shop.ts';
import { listQueues } from './queues.ts';

export type Outcome = 'paid' | 'failed';

export interface PipelineState {
  paid: number;
  failed: number;
  /** Orders not final yet: pending, or reserved and awaiting payment. */
  pending: number;
  payments: number;
  /** Orders with more than one payment. */
  paymentsTwice: number[];
  /** Orders whose payment status is not the expected outcome. */
  paymentsWrong: number[];
  /** Payment messages the buyers' chats received about these orders. */
  messages: number;
  toldTwice: number[];
  /** Orders told the other outcome than expected. */
  toldWrong: number[];
  /** notification rows for these orders not `sent`, as "order:status". */
  unsentNotifications: string[];
  unpublishedEvents: { order: number; payment: number };
}

const OUTCOME_TEXT = /^(?:✅ Order #(\d+) is paid\.|❌ Payment for order #(\d+) failed\.)/;

const duplicates = (ids: number[]) => {
  const seen = new Set<number>();
  return ids.filter((id) => seen.has(id) || !seen.add(id));
};

/** Reads the state of the orders in `expected` (order id -> outcome) once. */
export async function pipelineState(
  shop: Shop,
  expected: ReadonlyMap<number, Outcome>,
  chats: ReadonlySet<number>,
): Promise<PipelineState> {
  const ids = [...expected.keys()];
  const [statuses, payments, calls, notifications, orderOutbox, paymentOutbox] = await Promise.all([
    shop.query<{ status: string; n: number }>(
      'order',
      'select status, count(*)::int as n from orders where id = any($1::bigint[]) group by status',
      [ids],
    ),
    shop.query<{ order_id: string; status: string }>(
      'payment',
      'select order_id, status from payments where order_id = any($1::bigint[])',
      [ids],
    ),
    shop.sandbox.calls({ method: 'sendMessage' }),
    shop.query<{ order_id: string; status: string }>(
      'notification',
      "select order_id, status from notifications where order_id = any($1::bigint[]) and status <> 'sent'",
      [ids],
    ),
    shop.query<{ n: number }>('order', 'select count(*)::int as n from outbox where published_at is null'),
    shop.query<{ n: number }>('payment', 'select count(*)::int as n from outbox where published_at is null'),
  ]);
  const count = (status: string) => statuses.find((row) => row.status === status)?.n ?? 0;
  const paymentIds = payments.map((row) => Number(row.order_id));
  const told = calls.flatMap((call) => {
    const match = OUTCOME_TEXT.exec(typeof call.params.text === 'string' ? call.params.text : '');
    const chat = Number(call.params.chat_id);
    if (!call.ok || !match || !chats.has(chat)) return [];
    return [{ id: Number(match[1] ?? match[2]), outcome: match[1] ? 'paid' : 'failed' }];
  });
  return {
    paid: count('paid'),
    failed: count('payment_failed'),
    pending: count('pending') + count('awaiting_payment'),
    payments: payments.length,
    paymentsTwice: duplicates(paymentIds),
    paymentsWrong: payments
      .filter(
        (row) => (row.status === 'succeeded' ? 'paid' : 'failed') !== expected.get(Number(row.order_id)),
      )
      .map((row) => Number(row.order_id)),
    messages: told.length,
    toldTwice: duplicates(told.map((message) => message.id)),
    toldWrong: told.filter((message) => expected.get(message.id) !== message.outcome).map((m) => m.id),
    unsentNotifications: notifications.map((row) => `${row.order_id}:${row.status}`),
    unpublishedEvents: { order: orderOutbox[0]?.n ?? 0, payment: paymentOutbox[0]?.n ?? 0 },
  };
}

/**
 * Waits until every order is final, paid for and told, then until every queue of the shop is
 * empty (a duplicate still travelling would be in one), and reads the state once more.
 */
export async function drained(
  shop: Shop,
  expected: ReadonlyMap<number, Outcome>,
  chats: ReadonlySet<number>,
  timeoutMs: number,
): Promise<PipelineState> {
  await eventually(
    async () => {
      const state = await pipelineState(shop, expected, chats);
      if (state.pending > 0 || state.payments < expected.size || state.messages < expected.size)
        throw new Error(`not drained yet: ${JSON.stringify(state)}`);
    },
    timeoutMs,
    500,
  );
  await eventually(
    async () => {
      const busy = (await listQueues(shop.vhost)).filter((queue) => queue.messages > 0);
      if (busy.length > 0) throw new Error(`queues not empty: ${JSON.stringify(busy)}`);
    },
    30_000,
    500,
  );
  return pipelineState(shop, expected, chats);
}

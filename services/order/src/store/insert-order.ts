import type { ServiceEntityManager } from '@shop/shared';
import { createEvent, OUTBOX_COLUMNS, outboxValues } from '@shop/shared';
import { CLAIM_KEYS, type KeyClaim, type StoredResponse } from './idempotency-keys.ts';
import { toOrderView } from '../domain/order-view.ts';
import type { PricedOrder } from '../domain/pricing.ts';

/** An order priced and ready to be written; `insertOrders` gives it its number. */
export interface OrderDraft {
  userId: string;
  priced: PricedOrder;
  /** The Idempotency-Key the request holds, if it sent one. */
  claim?: KeyClaim;
}

/**
 * The order numbers for `count` new orders, ascending. Taken before the insert because the event
 * and the response carry them; a number whose insert then fails is skipped, as a rolled-back
 * sequence value always was.
 */
async function nextOrderNumbers(em: ServiceEntityManager, count: number): Promise<number[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select nextval(pg_get_serial_sequence('orders', 'id')) as id from generate_series(1, ?)`,
    [count],
  );
  if (rows.length !== count) throw new Error(`nextval returned ${rows.length} numbers, not ${count}`);
  return rows.map((row) => Number(row.id)).toSorted((a, b) => a - b);
}

// Each draft is one record of the JSON parameter. Every insert reads from the one before it, so a
// draft whose key is refused writes nothing. Items keep the order the buyer listed them in: their
// ids ascend with `position`.
const INSERT_ORDERS = `
  with input as (
    select * from json_to_recordset(?::json) as input(
      id bigint, user_id uuid, total_cents int, currency text, created_at timestamptz, items json,
      key text, request_hash text, response_status smallint, response_body text, expires_at timestamptz,
      event_id uuid, event_type text, routing_key text, payload text, occurred_at timestamptz)),
  claimed as (${CLAIM_KEYS}),
  placed as (
    select input.* from input
    where input.key is null
      or exists (select from claimed where claimed.user_id = input.user_id and claimed.key = input.key)),
  new_orders as (
    insert into orders (id, user_id, status, total_cents, currency, created_at, updated_at)
    select id, user_id, 'pending', total_cents, currency, created_at, created_at from placed
    returning id),
  items as (
    insert into order_items (order_id, product_id, name, unit_price_cents, quantity)
    select placed.id, (item->>'productId')::int, item->>'name',
      (item->>'unitPriceCents')::int, (item->>'quantity')::int
    from placed, json_array_elements(placed.items) with ordinality as listed(item, position)
    order by placed.id, listed.position),
  events as (
    insert into outbox (${OUTBOX_COLUMNS})
    select event_id, event_type, routing_key, payload::jsonb, occurred_at from placed)
  select id from new_orders`;

/**
 * Numbers and writes `drafts` with their items, their `order.created` outbox rows and, for those
 * with a key, the key and its response, in ONE statement: PostgreSQL applies all of it or none,
 * and many orders share a round trip and a commit. Returns, per draft, the response stored for
 * it, or `undefined` (having written nothing of it) when a committed request holds its key.
 * Two drafts must not claim one user's key. No NOTIFY: the caller wakes its relay.
 */
export async function insertOrders(
  em: ServiceEntityManager,
  drafts: readonly OrderDraft[],
): Promise<(StoredResponse | undefined)[]> {
  const ids = await nextOrderNumbers(em, drafts.length);
  const createdAt = new Date();
  const written = ids.map((id, index) => {
    const { userId, priced, claim } = drafts[index] as OrderDraft;
    const event = createEvent(
      'order.created',
      { orderId: id, userId, items: priced.items, totalCents: priced.totalCents, currency: priced.currency },
      { occurredAt: createdAt },
    );
    const response: StoredResponse = {
      status: 201,
      body: toOrderView({ id, status: 'pending', createdAt, ...priced }, priced.items),
    };
    const [eventId, eventType, routingKey, payload, occurredAt] = outboxValues(event);
    const record = {
      id,
      user_id: userId,
      total_cents: priced.totalCents,
      currency: priced.currency,
      created_at: createdAt,
      items: priced.items,
      key: claim?.key ?? null,
      request_hash: claim?.requestHash ?? null,
      response_status: response.status,
      // Text inside the JSON, so the key's `json` column keeps exactly these bytes.
      response_body: JSON.stringify(response.body),
      expires_at: claim?.expiresAt ?? null,
      event_id: eventId,
      event_type: eventType,
      routing_key: routingKey,
      payload,
      occurred_at: occurredAt,
    };
    return { id, response, record };
  });
  const rows = await em.execute<{ id: string }[]>(INSERT_ORDERS, [
    JSON.stringify(written.map(({ record }) => record)),
  ]);
  const placed = new Set(rows.map((row) => Number(row.id)));
  return written.map(({ id, response }) => (placed.has(id) ? response : undefined));
}

import type { ServiceEntityManager } from '@shop/shared';
import { OUTBOX_COLUMNS, outboxValues, type EventEnvelope } from '@shop/shared';
import { CLAIM_KEY, claimKeyValues, type KeyClaim, type StoredResponse } from './idempotency.ts';
import type { PricedOrder } from './pricing.ts';

/** An order with everything decided: its number, rows, event, response and (with a key) the claim. */
export interface OrderRows {
  id: number;
  userId: string;
  priced: PricedOrder;
  createdAt: Date;
  event: EventEnvelope<'order.created'>;
  response: StoredResponse;
  claim?: KeyClaim;
}

/**
 * The next order number. Taken before the insert because the event and the response carry it;
 * a number whose insert then fails is skipped, as a rolled-back sequence value always was.
 */
export async function nextOrderNumber(em: ServiceEntityManager): Promise<number> {
  const [row] = await em.execute<{ id: string }[]>(
    `select nextval(pg_get_serial_sequence('orders', 'id')) as id`,
  );
  if (!row) throw new Error('nextval returned no row');
  return Number(row.id);
}

// Every insert reads from the one before it, so with the claim refused nothing is written.
// Items keep the order the buyer listed them in: their ids ascend with `position`.
const insertOrderSql = (claim: string) => `
  with claim as (${claim}),
  new_order as (
    insert into orders (id, user_id, status, total_cents, currency, created_at, updated_at)
    select ?, ?, 'pending', ?, ?, ?, ? from claim
    returning id),
  items as (
    insert into order_items (order_id, product_id, name, unit_price_cents, quantity)
    select new_order.id, (item->>'productId')::int, item->>'name',
      (item->>'unitPriceCents')::int, (item->>'quantity')::int
    from new_order, json_array_elements(?::json) with ordinality as listed(item, position)
    order by listed.position),
  event as (
    insert into outbox (${OUTBOX_COLUMNS}) select ?, ?, ?, ?, ? from new_order)
  select id from new_order`;
const WITH_KEY = insertOrderSql(CLAIM_KEY);
const WITHOUT_KEY = insertOrderSql('select 1');

/**
 * Writes the order, its items, its `order.created` outbox row and, with a key, the key and its
 * response, in ONE statement: PostgreSQL applies all of it or none, in one round trip where a
 * transaction took six. Returns false, having written nothing, when a committed request holds
 * the key. No NOTIFY: the caller wakes its relay (`OrderDeps.eventsCommitted`).
 */
export async function insertOrder(em: ServiceEntityManager, rows: OrderRows): Promise<boolean> {
  const { id, userId, priced, createdAt, claim, response } = rows;
  const placed = await em.execute<unknown[]>(claim ? WITH_KEY : WITHOUT_KEY, [
    ...(claim ? claimKeyValues(userId, claim, response) : []),
    id,
    userId,
    priced.totalCents,
    priced.currency,
    createdAt,
    createdAt,
    JSON.stringify(priced.items),
    ...outboxValues(rows.event),
  ]);
  return placed.length === 1;
}

import type { Delivery, OrderChannel, ServiceEntityManager } from '@shop/shared';
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
  delivery?: Delivery;
  /**
   * The items are the user's cart lines as read: the order is placed only if every one of them
   * is still in the cart with that quantity, and they leave the cart with it.
   */
  fromCart?: boolean;
  /** Where the buyer placed it; undefined for the chat. */
  channel?: OrderChannel;
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
// ids ascend with `position`. A cart draft is `ready` only when the cart still holds each of its
// lines with the quantity priced: those rows are locked (a concurrent change of the cart waits,
// or is waited for and re-read), so the lines deleted below are exactly the ones ordered, and a
// cart changed meanwhile makes no order and loses no line.
const INSERT_ORDERS = `
  with input as (
    select * from json_to_recordset(?::json) as input(
      id bigint, user_id uuid, total_cents int, currency text, created_at timestamptz, items json,
      from_cart boolean, delivery json, channel text,
      key text, request_hash text, response_status smallint, response_body text, expires_at timestamptz,
      event_id uuid, event_type text, routing_key text, payload text, occurred_at timestamptz)),
  cart_lines as (
    select cart.user_id, cart.product_id, cart.quantity from cart_items cart
    where cart.user_id in (select user_id from input where from_cart)
    -- One order of locking for every statement: two replicas' statements never wait for each other in a circle.
    order by cart.user_id, cart.product_id
    for update of cart),
  ready as (
    select input.* from input
    where not input.from_cart
      or (select count(*) from json_array_elements(input.items) as listed(item)
          join cart_lines on cart_lines.user_id = input.user_id
            and cart_lines.product_id = (item->>'productId')::int
            and cart_lines.quantity = (item->>'quantity')::int) = json_array_length(input.items)),
  claimed as (${CLAIM_KEYS}),
  placed as (
    select ready.* from ready
    where ready.key is null
      or exists (select from claimed where claimed.user_id = ready.user_id and claimed.key = ready.key)),
  new_orders as (
    insert into orders (id, user_id, status, total_cents, currency, channel, created_at, updated_at)
    select id, user_id, 'pending', total_cents, currency, channel, created_at, created_at from placed
    returning id),
  items as (
    insert into order_items (order_id, product_id, name, unit_price_cents, quantity)
    select placed.id, (item->>'productId')::int, item->>'name',
      (item->>'unitPriceCents')::int, (item->>'quantity')::int
    from placed, json_array_elements(placed.items) with ordinality as listed(item, position)
    order by placed.id, listed.position),
  deliveries as (
    insert into order_deliveries (order_id, name, phone, address)
    select id, delivery->>'name', delivery->>'phone', delivery->>'address' from placed
    where delivery is not null),
  taken as (
    delete from cart_items cart using placed, json_array_elements(placed.items) as listed(item)
    where placed.from_cart and cart.user_id = placed.user_id
      and cart.product_id = (item->>'productId')::int),
  events as (
    insert into outbox (${OUTBOX_COLUMNS})
    select event_id, event_type, routing_key, payload::jsonb, occurred_at from placed)
  select id from new_orders`;

/**
 * Numbers and writes `drafts` with their items, delivery details, their `order.created` outbox
 * rows, for those with a key the key and its response, and for cart drafts the removal of the
 * ordered lines from the cart, in ONE statement: PostgreSQL applies all of it or none, and many
 * orders share a round trip and a commit. Returns, per draft, the response stored for it, or
 * `undefined` (having written nothing of it) when a committed request holds its key or, for a
 * cart draft, when the cart no longer holds what was priced. Two drafts must not claim one
 * user's key, nor order one user's cart. No NOTIFY: the caller wakes its relay.
 */
export async function insertOrders(
  em: ServiceEntityManager,
  drafts: readonly OrderDraft[],
): Promise<(StoredResponse | undefined)[]> {
  const ids = await nextOrderNumbers(em, drafts.length);
  const createdAt = new Date();
  const written = ids.map((id, index) => {
    const { userId, priced, claim, delivery, fromCart = false, channel } = drafts[index] as OrderDraft;
    const event = createEvent(
      'order.created',
      {
        orderId: id,
        userId,
        items: priced.items,
        totalCents: priced.totalCents,
        currency: priced.currency,
        ...(channel ? { channel } : {}),
      },
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
      from_cart: fromCart,
      delivery: delivery ?? null,
      channel: channel ?? null,
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

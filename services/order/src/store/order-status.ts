import { addToOutbox, type Delivery, type ServiceEntityManager } from '@shop/shared';
import { announcementOf, type OrderAnnouncement, type OrderFacts } from '../domain/order-events.ts';
import { decide, type OrderStatus, type OrderTrigger, type StatusChange } from '../domain/order-status.ts';

/** What a move did: the order was not found, stayed where it was, or moved. */
export type MoveResult =
  | { outcome: 'not_found' }
  | { outcome: 'unchanged'; status: OrderStatus }
  | { outcome: 'moved'; from: OrderStatus; change: StatusChange };

/** One order asked to move. */
export interface Move {
  orderId: number;
  trigger: OrderTrigger;
  /** The order must belong to this user (an event's or a caller's); someone else's is not found. */
  userId?: string;
  /** The flow the change belongs to: the triggering event's correlation id. */
  correlationId?: string;
}

export interface MoveOptions {
  /** How long a reservation holds, from now: `reservedUntil` of an order that starts to await payment. */
  reservationMs?: number;
}

interface OrderRow {
  id: string;
  user_id: string;
  status: OrderStatus;
  total_cents: number;
  currency: string;
}

type Items = OrderFacts['items'];

async function itemsOf(em: ServiceEntityManager, orderIds: number[]): Promise<Map<number, Items>> {
  const items = new Map<number, Items>();
  if (orderIds.length === 0) return items;
  const rows = await em.execute<(Items[number] & { orderId: string })[]>(
    `select order_id as "orderId", product_id as "productId", name, unit_price_cents as "unitPriceCents", quantity
     from order_items where order_id in (?) order by id`,
    [orderIds],
  );
  for (const { orderId, ...item } of rows) {
    const id = Number(orderId);
    items.set(id, [...(items.get(id) ?? []), item]);
  }
  return items;
}

async function deliveriesOf(em: ServiceEntityManager, orderIds: number[]): Promise<Map<number, Delivery>> {
  if (orderIds.length === 0) return new Map();
  const rows = await em.execute<(Delivery & { order_id: string })[]>(
    'select order_id, name, phone, address from order_deliveries where order_id in (?)',
    [orderIds],
  );
  return new Map(rows.map(({ order_id, ...delivery }) => [Number(order_id), delivery]));
}

/**
 * Moves orders as their triggers ask (see `decide`), in `em`'s transaction and in the order
 * given: the orders' row locks first, all at once and in id order, so racing moves of one order
 * take turns and two batches never wait for each other in a circle; each move sees where the ones
 * before it left its order. Then, in a statement each for all of them: the new statuses (with
 * `cancelReason` and `cancelNote`, `trackingNote`, or `reservedUntil` for `awaiting_payment`), a history row per move and the
 * moves' events in the outbox, committed together. One result per move.
 */
export async function moveOrders(
  em: ServiceEntityManager,
  moves: readonly Move[],
  options: MoveOptions = {},
): Promise<MoveResult[]> {
  const ids = [...new Set(moves.map((move) => move.orderId))].sort((a, b) => a - b);
  const rows = await em.execute<OrderRow[]>(
    'select id, user_id, status, total_cents, currency from orders where id in (?) order by id for update',
    [ids],
  );
  const orders = new Map(rows.map((row) => [Number(row.id), row]));
  const results: MoveResult[] = [];
  const history: { order_id: number; status: OrderStatus; n: number }[] = [];
  const final = new Map<
    number,
    {
      status: OrderStatus;
      cancel_reason?: string;
      cancel_note?: string;
      tracking_note?: string;
      reserved_until?: Date;
    }
  >();
  const announced: { order: OrderRow; move: Move; change: StatusChange }[] = [];

  for (const move of moves) {
    const order = orders.get(move.orderId);
    if (!order || (move.userId !== undefined && order.user_id !== move.userId)) {
      results.push({ outcome: 'not_found' });
      continue;
    }
    const change = decide(order.status, move.trigger);
    if (!change) {
      results.push({ outcome: 'unchanged', status: order.status });
      continue;
    }
    const state = final.get(move.orderId) ?? { status: change.to };
    state.status = change.to;
    if (change.cancelReason) state.cancel_reason = change.cancelReason;
    if (change.cancelNote !== undefined) state.cancel_note = change.cancelNote;
    if (change.trackingNote !== undefined) state.tracking_note = change.trackingNote;
    if (change.to === 'awaiting_payment') {
      if (options.reservationMs === undefined)
        throw new Error('an order awaiting payment needs reservationMs');
      state.reserved_until = new Date(Date.now() + options.reservationMs);
    }
    final.set(move.orderId, state);
    history.push({ order_id: move.orderId, status: change.to, n: history.length });
    announced.push({ order, move, change });
    results.push({ outcome: 'moved', from: order.status, change });
    order.status = change.to;
  }
  if (history.length === 0) return results;

  await em.execute(
    `with moved as (
       update orders o set status = input.status, cancel_reason = coalesce(input.cancel_reason, o.cancel_reason),
         cancel_note = coalesce(input.cancel_note, o.cancel_note),
         tracking_note = coalesce(input.tracking_note, o.tracking_note),
         reserved_until = coalesce(input.reserved_until, o.reserved_until), updated_at = now()
       from json_to_recordset(?::json)
         as input(id bigint, status text, cancel_reason text, cancel_note text, tracking_note text, reserved_until timestamptz)
       where o.id = input.id)
     insert into order_status_history (order_id, status)
     select order_id, status from json_to_recordset(?::json) as input(order_id bigint, status text, n int)
     order by n`,
    [JSON.stringify([...final].map(([id, state]) => ({ id, ...state }))), JSON.stringify(history)],
    'run',
  );
  const withItems = announced.filter(({ change }) => change.to !== 'awaiting_payment');
  const items = await itemsOf(em, [...new Set(withItems.map(({ move }) => move.orderId))]);
  const deliveries = await deliveriesOf(
    em,
    withItems.filter(({ change }) => change.to === 'paid').map(({ move }) => move.orderId),
  );
  const events = withItems
    .map(({ order, move, change }) =>
      announcementOf(
        {
          id: move.orderId,
          userId: order.user_id,
          items: items.get(move.orderId) ?? [],
          totalCents: order.total_cents,
          currency: order.currency,
          delivery: deliveries.get(move.orderId),
        },
        change,
        move.correlationId,
      ),
    )
    .filter((event): event is OrderAnnouncement => event !== undefined);
  await addToOutbox(em, ...events);
  return results;
}

/** `moveOrders` for one order. */
export async function moveOrder(
  em: ServiceEntityManager,
  orderId: number,
  trigger: OrderTrigger,
  { userId, correlationId, ...options }: Omit<Move, 'orderId' | 'trigger'> & MoveOptions = {},
): Promise<MoveResult> {
  const [result] = await moveOrders(em, [{ orderId, trigger, userId, correlationId }], options);
  if (!result) throw new Error('moveOrders gave no result');
  return result;
}

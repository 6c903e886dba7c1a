import { addToOutbox, type ServiceEntityManager } from '@shop/shared';
import { announcementOf, type OrderFacts } from '../domain/order-events.ts';
import { decide, type OrderStatus, type OrderTrigger, type StatusChange } from '../domain/order-status.ts';

/** What `moveOrder` did: the order was not found, stayed where it was, or moved. */
export type MoveResult =
  | { outcome: 'not_found' }
  | { outcome: 'unchanged'; status: OrderStatus }
  | { outcome: 'moved'; from: OrderStatus; change: StatusChange };

export interface MoveOptions {
  /** The order must belong to this user (an event's or a caller's); someone else's is not found. */
  userId?: string;
  /** How long a reservation holds, from now: `reservedUntil` of an order that starts to await payment. */
  reservationMs?: number;
  /** The flow the change belongs to: the triggering event's correlation id. */
  correlationId?: string;
}

interface OrderRow {
  user_id: string;
  status: OrderStatus;
  total_cents: number;
  currency: string;
}

async function itemsOf(em: ServiceEntityManager, orderId: number): Promise<OrderFacts['items']> {
  return em.execute<OrderFacts['items']>(
    `select product_id as "productId", name, unit_price_cents as "unitPriceCents", quantity
     from order_items where order_id = ? order by id`,
    [orderId],
  );
}

/**
 * Moves the order as `trigger` asks (see `decide`), in `em`'s transaction: the order's row lock
 * first, so racing triggers of one order take turns and each sees where the other left it; then
 * the new status (with `cancelReason`, or `reservedUntil` for `awaiting_payment`), a history row
 * and the change's event in the outbox, all committed together.
 */
export async function moveOrder(
  em: ServiceEntityManager,
  orderId: number,
  trigger: OrderTrigger,
  options: MoveOptions,
): Promise<MoveResult> {
  const [row] = await em.execute<OrderRow[]>(
    'select user_id, status, total_cents, currency from orders where id = ? for update',
    [orderId],
  );
  if (!row || (options.userId !== undefined && row.user_id !== options.userId))
    return { outcome: 'not_found' };
  const change = decide(row.status, trigger);
  if (!change) return { outcome: 'unchanged', status: row.status };

  let reservedUntil: Date | undefined;
  if (change.to === 'awaiting_payment') {
    if (options.reservationMs === undefined) throw new Error('an order awaiting payment needs reservationMs');
    reservedUntil = new Date(Date.now() + options.reservationMs);
  }
  await em.execute(
    `with moved as (
       update orders set status = ?, cancel_reason = coalesce(?, cancel_reason),
         reserved_until = coalesce(?, reserved_until), updated_at = now()
       where id = ?)
     insert into order_status_history (order_id, status) values (?, ?)`,
    [change.to, change.cancelReason ?? null, reservedUntil ?? null, orderId, orderId, change.to],
    'run',
  );
  const facts: OrderFacts = {
    id: orderId,
    userId: row.user_id,
    items: change.to === 'awaiting_payment' ? [] : await itemsOf(em, orderId),
    totalCents: row.total_cents,
    currency: row.currency,
  };
  const announcement = announcementOf(facts, change, options.correlationId);
  if (announcement) await addToOutbox(em, announcement);
  return { outcome: 'moved', from: row.status, change };
}

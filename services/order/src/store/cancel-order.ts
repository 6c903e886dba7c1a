import { conflict, notFound } from '@shop/shared';
import type { OrderDeps } from '../deps.ts';
import type { OrderDetailView } from '../domain/order-view.ts';
import { getOrder } from './order-queries.ts';
import { moveOrder } from './order-status.ts';

/**
 * The buyer cancels their own order before it is paid: `cancelled` (`buyer`) with its history row
 * and `order.cancelled` in one transaction; the catalog then releases the stock. Someone else's
 * order is 404; one that can no longer be cancelled (paid, cancelled, failed) is 409
 * `invalid_transition`. Answers the order as `GET /orders/:id` shows it.
 */
export async function cancelOrder(
  deps: OrderDeps,
  userId: string,
  orderId: number,
): Promise<OrderDetailView> {
  const result = await deps.em
    .fork()
    .transactional((em) => moveOrder(em, orderId, { type: 'cancel', reason: 'buyer' }, { userId }));
  if (result.outcome === 'not_found') throw notFound(`order ${orderId}`);
  if (result.outcome === 'unchanged')
    throw conflict(
      'invalid_transition',
      `Order ${orderId} is ${result.status} and can no longer be cancelled`,
    );
  return getOrder(deps.em.fork(), userId, orderId);
}

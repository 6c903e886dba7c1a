import type { QueryResult } from '@mikro-orm/core';
import type { ServiceEntityManager } from '@shop/shared';
import type { Transition } from '../domain/order-status.ts';

/**
 * Applies `transition` to the user's order in one conditional update: the row lock, not an
 * earlier read, decides between racing outcomes. False when the order is not in `from` (or
 * does not exist): nothing changed.
 */
export async function moveOrder(
  em: ServiceEntityManager,
  order: { orderId: number; userId: string },
  { from, to }: Transition,
): Promise<boolean> {
  const result = await em.execute<QueryResult>(
    `update orders set status = ?, updated_at = now() where id = ? and user_id = ? and status = ?`,
    [to, order.orderId, order.userId, from],
    'run',
  );
  return result.affectedRows > 0;
}

import type { QueryResult } from '@mikro-orm/core';
import type { EventHandler } from '@shop/shared';
import type { Logger } from 'pino';
import type { OrderStatus } from '../db/entities.ts';

export type PaymentOutcome = 'payment.succeeded' | 'payment.failed';

const statusAfter: Record<PaymentOutcome, OrderStatus> = {
  'payment.succeeded': 'paid',
  'payment.failed': 'payment_failed',
};

/**
 * Moves a `pending` order to `paid` or `payment_failed`. Only `pending` moves: a duplicate, a
 * late or out-of-order outcome, or one for an order this service does not have changes nothing
 * and is not an error (retrying it could never succeed), so it is logged at debug and acked.
 */
export function paymentOutcomeHandler(logger: Logger): EventHandler<PaymentOutcome> {
  return async (em, event) => {
    const { orderId, userId } = event.data;
    const status = statusAfter[event.type];
    // One conditional update: the row lock, not an earlier read, decides between racing outcomes.
    const result = await em.execute<QueryResult>(
      `update orders set status = ?, updated_at = now() where id = ? and user_id = ? and status = 'pending'`,
      [status, orderId, userId],
      'run',
    );
    if (result.affectedRows === 0) {
      logger.debug(
        { eventId: event.id, type: event.type, orderId },
        'payment outcome does not apply to the order, ignored',
      );
      return;
    }
    logger.info({ orderId, status }, 'order status changed');
  };
}

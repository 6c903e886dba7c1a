import type { OrderStatus } from '../db/entities.ts';

export type PaymentOutcome = 'payment.succeeded' | 'payment.failed';

/** A status change: an order moves to `to` only while it is in `from`. */
export interface Transition {
  from: OrderStatus;
  to: OrderStatus;
}

const statusAfter: Record<PaymentOutcome, OrderStatus> = {
  'payment.succeeded': 'paid',
  'payment.failed': 'payment_failed',
};

/**
 * What a payment outcome does to an order: only a `pending` order moves, to `paid` or
 * `payment_failed`, and both are final. A duplicate, late or out-of-order outcome finds the
 * order already moved and changes nothing.
 */
export const paymentTransition = (outcome: PaymentOutcome): Transition => ({
  from: 'pending',
  to: statusAfter[outcome],
});

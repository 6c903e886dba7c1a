import { createEvent, type EventEnvelope, type EventOf } from '@shop/shared';
import type { PaymentMethod, PaymentStatus } from '../db/entities.ts';

/**
 * A definite answer: the money moved, or the provider refused and says why as a code (one of
 * the contract's `declineReasons` where it fits), never as a sentence: the buyer is told in
 * their own language by notification.
 */
export type ChargeResult = { status: 'succeeded' } | { status: 'failed'; reason: string };

/** A refund's answer: the money is back, or the provider will say when it is (Telegram Stars). */
export type RefundResult = { status: 'refunded' } | { status: 'refund_pending' };

/** The width of `payments.reason`; a real provider's message may be longer. */
export const MAX_REASON_LENGTH = 500;

/** One order's payment, as recorded and announced. */
export interface PaymentRecord {
  id: string;
  orderId: number;
  userId: string;
  status: PaymentStatus;
  method: PaymentMethod;
  amountCents: number;
  currency: string;
  /** Why the provider declined; null when it succeeded. */
  reason: string | null;
  createdAt: Date;
}

/** A reserved order, as `stock.reserved` brings it (the order's own `order.created` payload). */
type NewOrder = EventOf<'stock.reserved'>['data'];

/** The payment an order's charge came to: the whole total, and a decline's reason cut to what the row holds. */
export function paymentOf(
  order: NewOrder,
  outcome: ChargeResult,
  method: PaymentMethod,
  { id, createdAt }: { id: string; createdAt: Date },
): PaymentRecord {
  return {
    id,
    orderId: order.orderId,
    userId: order.userId,
    status: outcome.status,
    method,
    amountCents: order.totalCents,
    currency: order.currency,
    reason: outcome.status === 'failed' ? outcome.reason.slice(0, MAX_REASON_LENGTH) : null,
    createdAt,
  };
}

/**
 * The event announcing a payment: `payment.succeeded`, or `payment.failed` with its reason. It
 * carries the order's items (notification words the receipt from them), happened when the
 * payment was made, and keeps the order's correlation id.
 */
export function outcomeEvent(
  payment: PaymentRecord,
  items: NewOrder['items'],
  correlationId: string,
): EventEnvelope<'payment.succeeded'> | EventEnvelope<'payment.failed'> {
  const { id: paymentId, orderId, userId, amountCents, currency, reason } = payment;
  const data = { paymentId, orderId, userId, amountCents, currency, items };
  const options = { correlationId, occurredAt: payment.createdAt };
  return reason === null
    ? createEvent('payment.succeeded', data, options)
    : createEvent('payment.failed', { ...data, reason }, options);
}

/** The event announcing that a payment went back to the buyer. */
export function refundEvent(
  payment: Pick<PaymentRecord, 'id' | 'orderId' | 'userId' | 'amountCents' | 'currency'>,
  correlationId?: string,
): EventEnvelope<'payment.refunded'> {
  const { id: paymentId, orderId, userId, amountCents, currency } = payment;
  return createEvent(
    'payment.refunded',
    { paymentId, orderId, userId, amountCents, currency },
    { correlationId },
  );
}

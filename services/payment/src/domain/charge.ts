import {
  createEvent,
  type EventEnvelope,
  type EventOf,
  type PaymentMethod,
  type RefundReason,
} from '@shop/shared';
import type { PaymentStatus } from '../db/entities.ts';

/**
 * A definite answer: the money moved, or the provider refused and says why as a code (one of
 * the contract's `declineReasons` where it fits), never as a sentence: the buyer is told in
 * their own language by notification.
 */
export type ChargeResult = { status: 'succeeded' } | { status: 'failed'; reason: string };

/** A refund's answer: the money is back, or the provider will say when it is. */
export type RefundResult = { status: 'refunded' } | { status: 'refund_pending' };

/** The width of `payments.reason`; a real provider's message may be longer. */
export const MAX_REASON_LENGTH = 500;

/** Telegram's ids of a payment it took, and who paid. */
export interface TelegramCharge {
  telegramPaymentChargeId: string;
  /** Empty for Stars. */
  providerPaymentChargeId: string;
  telegramUserId: number;
}

/** One payment, as recorded and announced. */
export interface PaymentRecord {
  id: string;
  /** Null (or absent) for money taken for an invoice payload that names no order of ours (owed back). */
  orderId?: number | null;
  userId: string;
  status: PaymentStatus;
  method: PaymentMethod;
  amountCents: number;
  currency: string;
  /** Why the provider declined; null (or absent) when it succeeded. */
  reason?: string | null;
  createdAt: Date;
  /** Why the money is owed back; null while it is kept. */
  refundReason?: RefundReason | null;
  telegramPaymentChargeId?: string | null;
  providerPaymentChargeId?: string | null;
  telegramUserId?: number | null;
}

/** A reserved order, as `stock.reserved` brings it (the order's own `order.created` payload). */
type NewOrder = EventOf<'stock.reserved'>['data'];
type Items = NewOrder['items'];

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

/** The fields every payment.* event shares: whose money, how much, how it was taken, Telegram's ids. */
function paymentFields(payment: PaymentRecord) {
  const { id: paymentId, orderId, userId, amountCents, currency, method } = payment;
  return {
    paymentId,
    ...(orderId == null ? {} : { orderId }),
    userId,
    amountCents,
    currency,
    method,
    ...(payment.telegramPaymentChargeId
      ? {
          telegramPaymentChargeId: payment.telegramPaymentChargeId,
          providerPaymentChargeId: payment.providerPaymentChargeId ?? '',
        }
      : {}),
  };
}

/**
 * The event announcing a payment: `payment.succeeded`, or `payment.failed` with its reason. It
 * carries the order's items (notification words the receipt from them), happened when the
 * payment was made, and keeps the order's correlation id.
 */
export function outcomeEvent(
  payment: PaymentRecord,
  items: Items | undefined,
  correlationId?: string,
): EventEnvelope<'payment.succeeded'> | EventEnvelope<'payment.failed'> {
  const { orderId } = payment;
  // Only money for an order is kept or declined; money for none is owed back (refundPendingEvent).
  if (orderId == null) throw new Error(`payment ${payment.id} has no order to succeed or fail for`);
  const data = { ...paymentFields(payment), orderId, ...(items ? { items } : {}) };
  const options = { correlationId, occurredAt: payment.createdAt };
  return payment.reason
    ? createEvent('payment.failed', { ...data, reason: payment.reason }, options)
    : createEvent('payment.succeeded', data, options);
}

/** The event announcing that money is owed back (`refund_pending`), and why. */
export function refundPendingEvent(
  payment: PaymentRecord & { refundReason: RefundReason },
  correlationId?: string,
): EventEnvelope<'payment.refund_pending'> {
  return createEvent(
    'payment.refund_pending',
    { ...paymentFields(payment), reason: payment.refundReason },
    { correlationId },
  );
}

/** The event announcing that a payment went back to the payer. */
export function refundEvent(
  payment: PaymentRecord,
  correlationId?: string,
): EventEnvelope<'payment.refunded'> {
  const { refundReason } = payment;
  return createEvent(
    'payment.refunded',
    { ...paymentFields(payment), ...(refundReason ? { reason: refundReason } : {}) },
    { correlationId },
  );
}

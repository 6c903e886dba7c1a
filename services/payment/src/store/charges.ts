import type { QueryResult } from '@mikro-orm/core';
import type { CancelReason, RefundReason, ServiceEntityManager } from '@shop/shared';
import { OrderCancellation, Payment } from '../db/entities.ts';
import type { PaymentRecord } from '../domain/charge.ts';

/**
 * Takes the order's charge lock, held until commit or rollback: two messages for one order (a
 * charge and a cancellation, or two copies of one), or a message and a payment Telegram took,
 * never run at the same time, and the second sees what the first did. A lock rather than a row's: the first message of an order finds no
 * row to lock. Hashed into its own key space so it cannot meet other locks.
 */
export async function lockOrderCharge(em: ServiceEntityManager, orderId: number): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`payment:order:${orderId}`]);
}

export async function hasPayment(em: ServiceEntityManager, orderId: number): Promise<boolean> {
  return (await em.count(Payment, { orderId })) > 0;
}

/**
 * Inserts the payment; false when a unique index holds another in its place: the order's own
 * charge was recorded already, a payment is kept for the order already, or Telegram's charge id
 * was recorded already.
 */
export async function insertPayment(em: ServiceEntityManager, payment: PaymentRecord): Promise<boolean> {
  const inserted = await em
    .createQueryBuilder(Payment)
    .insert(payment)
    .onConflict()
    .ignore()
    .execute<QueryResult>('run');
  return inserted.affectedRows > 0;
}

/** The payment recorded for Telegram's charge id, if any. */
export async function paymentOfCharge(
  em: ServiceEntityManager,
  telegramPaymentChargeId: string,
): Promise<Payment | null> {
  return em.findOne(Payment, { telegramPaymentChargeId });
}

/** True once `order.cancelled` for the order was recorded (read under the order's charge lock). */
export async function isCancelled(em: ServiceEntityManager, orderId: number): Promise<boolean> {
  return (await em.count(OrderCancellation, { orderId })) > 0;
}

/** Records the order's cancellation; false when it was recorded already. */
export async function recordCancellation(
  em: ServiceEntityManager,
  cancellation: { orderId: number; userId: string; reason: CancelReason },
): Promise<boolean> {
  const inserted = await em
    .createQueryBuilder(OrderCancellation)
    .insert(cancellation)
    .onConflict('orderId')
    .ignore()
    .execute<QueryResult>('run');
  return inserted.affectedRows > 0;
}

/** The order's payment if money was taken and is still kept (status `succeeded`). */
export async function keptPayment(em: ServiceEntityManager, orderId: number): Promise<Payment | null> {
  return em.findOne(Payment, { orderId, status: 'succeeded' });
}

/** Records that the payment went back (`refunded`) or is owed back (`refund_pending`), and why. */
export async function recordRefund(
  em: ServiceEntityManager,
  paymentId: string,
  status: 'refunded' | 'refund_pending',
  reason: RefundReason,
): Promise<void> {
  await em.nativeUpdate(
    Payment,
    { id: paymentId },
    { status, refundReason: reason, refundedAt: status === 'refunded' ? new Date() : null },
  );
}

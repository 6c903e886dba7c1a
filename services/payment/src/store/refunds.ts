import { LockMode } from '@mikro-orm/core';
import { addToOutbox, conflict, notFound, type ServiceEntityManager } from '@shop/shared';
import { Payment } from '../db/entities.ts';
import { refundEvent } from '../domain/charge.ts';

/**
 * The Stars payment owed back that is due first, locked until `em`'s transaction ends; the rows
 * other replicas hold are skipped, so each refund is in one replica's hands at a time. Null when
 * none is due.
 */
export async function claimStarRefund(em: ServiceEntityManager): Promise<Payment | null> {
  const [row] = await em.execute<{ id: string }[]>(
    `select id from payments
     where status = 'refund_pending' and method = 'stars' and (refund_next_at is null or refund_next_at <= now())
     order by refund_next_at nulls first, created_at
     limit 1 for update skip locked`,
  );
  return row ? em.findOne(Payment, { id: row.id }) : null;
}

/**
 * Marks the payment refunded and announces it (`payment.refunded`), in `em`'s transaction, which
 * must hold the payment's row lock.
 */
export async function markRefunded(em: ServiceEntityManager, payment: Payment): Promise<Payment> {
  const refunded = { ...payment, status: 'refunded' as const, refundedAt: new Date(), refundError: null };
  await em.nativeUpdate(
    Payment,
    { id: payment.id },
    { status: refunded.status, refundedAt: refunded.refundedAt, refundError: null },
  );
  await addToOutbox(em, refundEvent(refunded));
  return refunded;
}

/** A refund that failed waits `delayMs` before it is tried again; `error` says why. */
export async function postponeRefund(
  em: ServiceEntityManager,
  payment: Payment,
  delayMs: number,
  error: string,
): Promise<void> {
  await em.nativeUpdate(
    Payment,
    { id: payment.id },
    {
      refundAttempts: payment.refundAttempts + 1,
      refundNextAt: new Date(Date.now() + delayMs),
      refundError: error.slice(0, 1_000),
    },
  );
}

/**
 * An admin's word that a provider payment owed back was refunded (in the provider's dashboard):
 * `refunded` with `payment.refunded`, once; the same word again changes nothing. 404 for no such
 * payment; 409 `invalid_transition` for one not owed back, or a Stars one (the shop refunds those
 * itself through Telegram, and must not be told it is done).
 */
export async function markRefundedByAdmin(root: ServiceEntityManager, paymentId: string): Promise<Payment> {
  return root.fork().transactional(async (em) => {
    const payment = await em.findOne(Payment, { id: paymentId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!payment) throw notFound('Payment');
    if (payment.status === 'refunded') return payment;
    if (payment.status !== 'refund_pending' || payment.method === 'stars') {
      const why =
        payment.status === 'refund_pending'
          ? 'Stars payments are refunded by the shop itself, through Telegram'
          : `A ${payment.status} payment is not owed back`;
      throw conflict('invalid_transition', why, { status: payment.status, method: payment.method });
    }
    return markRefunded(em, payment);
  });
}

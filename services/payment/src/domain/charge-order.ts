import type { QueryResult } from '@mikro-orm/core';
import { addToOutbox, createEvent, type EventHandler } from '@shop/shared';
import type { Logger } from 'pino';
import { Payment } from '../db/entities.ts';
import type { PaymentProvider } from './provider.ts';

// The width of payments.reason; a real provider's message may be longer.
const MAX_REASON_LENGTH = 500;

export interface ChargeOrderDeps {
  provider: PaymentProvider;
  logger: Logger;
}

/**
 * Charges a new order once and announces the outcome. Runs inside the consumer's inbox
 * transaction, so the payment row, its outbox event and the inbox entry commit together (or
 * not at all, when the provider throws and the message is retried).
 *
 * The inbox stops redeliveries of one message; two different messages for one order (a
 * republished event, a second consumer queue) are stopped here: a per-order advisory lock keeps
 * the provider from being asked twice at once, an existing payment makes the event a no-op, and
 * the unique index on `order_id` is the last word should anything get past both.
 */
export function chargeOrderHandler({ provider, logger }: ChargeOrderDeps): EventHandler<'order.created'> {
  return async (em, event) => {
    const { orderId, userId, items, totalCents, currency } = event.data;
    const log = logger.child({ eventId: event.id, orderId, correlationId: event.correlationId });
    // Held until commit or rollback; hashed into its own key space so it cannot meet other locks.
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`payment:order:${orderId}`]);
    if ((await em.count(Payment, { orderId })) > 0) {
      log.info('order already has a payment; event ignored');
      return;
    }

    // Inside the transaction on purpose: the lock above must cover the call to the provider.
    const outcome = await provider.charge({ orderId, amountCents: totalCents, currency });
    const reason = outcome.status === 'failed' ? outcome.reason.slice(0, MAX_REASON_LENGTH) : null;
    const payment = {
      id: crypto.randomUUID(),
      orderId,
      userId,
      status: outcome.status,
      method: provider.method,
      amountCents: totalCents,
      currency,
      reason,
      createdAt: new Date(),
    };
    const inserted = await em
      .createQueryBuilder(Payment)
      .insert(payment)
      .onConflict('orderId')
      .ignore()
      .execute<QueryResult>('run');
    if (inserted.affectedRows === 0) {
      log.warn("another consumer recorded this order's payment first; event ignored");
      return;
    }

    const data = { paymentId: payment.id, orderId, userId, amountCents: totalCents, currency, items };
    const options = { correlationId: event.correlationId, occurredAt: payment.createdAt };
    await addToOutbox(
      em,
      reason === null
        ? createEvent('payment.succeeded', data, options)
        : createEvent('payment.failed', { ...data, reason }, options),
    );
    log.info({ paymentId: payment.id, status: outcome.status }, 'order charged');
  };
}

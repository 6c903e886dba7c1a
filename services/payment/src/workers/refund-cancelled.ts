import { addToOutbox, type EventHandler } from '@shop/shared';
import { refundEvent, refundPendingEvent } from '../domain/charge.ts';
import { refundReasonOf } from '../domain/invoice-rules.ts';
import { keptPayment, lockOrderCharge, recordCancellation, recordRefund } from '../store/charges.ts';
import type { ChargeOrderDeps } from './charge-order.ts';

/**
 * Hears that an order was cancelled: records it, so a reservation still on its way is never
 * charged nor invoiced and a Telegram payment arriving later is owed back, and gives back money
 * already kept for it, exactly once (a payment given back is no longer `succeeded`, so a copy of
 * the event finds nothing to refund). The simulated provider refunds at once (`refunded`); money
 * Telegram took becomes `refund_pending` with `payment.refund_pending`, for the Stars refunds
 * worker or the merchant. Under the order's charge lock, in the consumer's inbox transaction: the
 * refund, its event and the inbox entry commit together, or the message is retried.
 */
export function refundCancelledHandler({
  provider,
  logger,
}: Pick<ChargeOrderDeps, 'provider' | 'logger'>): EventHandler<'order.cancelled'> {
  return async (em, event) => {
    const { orderId, userId, reason } = event.data;
    const log = logger.child({ eventId: event.id, orderId, correlationId: event.correlationId });
    await lockOrderCharge(em, orderId);
    await recordCancellation(em, { orderId, userId, reason });
    const payment = await keptPayment(em, orderId);
    if (!payment) {
      log.debug({ reason }, 'order cancelled; nothing was charged');
      return;
    }
    const refundReason = refundReasonOf(reason);
    const result =
      payment.method === 'simulated'
        ? await provider.refund({
            paymentId: payment.id,
            orderId,
            amountCents: payment.amountCents,
            currency: payment.currency,
          })
        : ({ status: 'refund_pending' } as const);
    await recordRefund(em, payment.id, result.status, refundReason);
    const refund = { ...payment, status: result.status, refundReason };
    await addToOutbox(
      em,
      result.status === 'refunded'
        ? refundEvent(refund, event.correlationId)
        : refundPendingEvent(refund, event.correlationId),
    );
    log.info(
      { paymentId: payment.id, status: result.status, reason },
      'payment of a cancelled order refunded',
    );
  };
}

import { addToOutbox, type EventHandler } from '@shop/shared';
import { refundEvent } from '../domain/charge.ts';
import { keptPayment, lockOrderCharge, recordCancellation, recordRefund } from '../store/charges.ts';
import type { ChargeOrderDeps } from './charge-order.ts';

/**
 * Hears that an order was cancelled: records it, so a reservation still on its way is never
 * charged, and gives back money already taken for it, exactly once (a refunded payment is no
 * longer `succeeded`, so a copy of the event finds nothing to refund). Under the order's charge
 * lock, in the consumer's inbox transaction: the refund, its `payment.refunded` event and the
 * inbox entry commit together, or the message is retried.
 */
export function refundCancelledHandler({
  provider,
  logger,
}: ChargeOrderDeps): EventHandler<'order.cancelled'> {
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
    const result = await provider.refund({
      paymentId: payment.id,
      orderId,
      amountCents: payment.amountCents,
      currency: payment.currency,
    });
    await recordRefund(em, payment.id, result.status);
    if (result.status === 'refunded') await addToOutbox(em, refundEvent(payment, event.correlationId));
    log.info(
      { paymentId: payment.id, status: result.status, reason },
      'payment of a cancelled order refunded',
    );
  };
}

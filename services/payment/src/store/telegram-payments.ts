import { addToOutbox, STARS_CURRENCY, type ServiceEntityManager } from '@shop/shared';
import {
  outcomeEvent,
  refundPendingEvent,
  type PaymentRecord,
  type TelegramCharge,
} from '../domain/charge.ts';
import { paymentVerdict, type InvoiceAmount } from '../domain/invoice-rules.ts';
import { insertPayment, lockOrderCharge, paymentOfCharge } from './charges.ts';
import { invoiceOf } from './invoices.ts';

/** A `successful_payment` Telegram delivered to the bot, for the order its invoice payload names. */
export interface TelegramPayment extends InvoiceAmount, TelegramCharge {
  orderId: number;
  /** The account of the Telegram user who paid (the bot signed them in). */
  payerId: string;
}

/** The payment the charge id is recorded as, and whether this call recorded it. */
export interface RecordedPayment {
  created: boolean;
  payment: PaymentRecord;
}

/**
 * Records money Telegram took, exactly once per charge id, with its event, in one transaction
 * under the order's charge lock (so a cancellation, a reservation and copies of this charge take
 * turns). A charge id recorded before changes nothing. Money the order can take is kept
 * (`succeeded`, `payment.succeeded`); any other is recorded all the same, as owed back
 * (`refund_pending`, `payment.refund_pending` with the reason): it was taken and must be returned.
 */
export async function recordTelegramPayment(
  root: ServiceEntityManager,
  charge: TelegramPayment,
): Promise<RecordedPayment> {
  return root.fork().transactional(async (em) => {
    await lockOrderCharge(em, charge.orderId);
    const recorded = await paymentOfCharge(em, charge.telegramPaymentChargeId);
    if (recorded) return { created: false, payment: recorded };

    const invoice = await invoiceOf(em, charge.orderId);
    const verdict = paymentVerdict(invoice, charge.payerId, charge);
    const payment = {
      id: crypto.randomUUID(),
      orderId: charge.orderId,
      userId: charge.payerId,
      status: verdict.status,
      // The money's own kind, whatever the invoice said: Stars go back by refundStarPayment.
      method: charge.currency === STARS_CURRENCY ? 'stars' : 'telegram',
      amountCents: charge.totalAmount,
      currency: charge.currency,
      reason: null,
      createdAt: new Date(),
      refundReason: verdict.status === 'succeeded' ? null : verdict.reason,
      telegramPaymentChargeId: charge.telegramPaymentChargeId,
      providerPaymentChargeId: charge.providerPaymentChargeId,
      telegramUserId: charge.telegramUserId,
    } satisfies PaymentRecord;
    if (!(await insertPayment(em, payment))) {
      // The same charge id under another order's lock: a payload that names another order.
      const other = await paymentOfCharge(em, charge.telegramPaymentChargeId);
      if (other) return { created: false, payment: other };
      throw new Error(`payment of order ${charge.orderId} conflicts with one recorded under its lock`);
    }
    const correlationId = invoice?.correlationId;
    await addToOutbox(
      em,
      verdict.status === 'succeeded'
        ? outcomeEvent(payment, invoice?.items, correlationId)
        : refundPendingEvent({ ...payment, refundReason: verdict.reason }, correlationId),
    );
    return { created: true, payment };
  });
}

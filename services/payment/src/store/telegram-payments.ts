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

/**
 * A `successful_payment` Telegram delivered to the bot, for the order its invoice payload names;
 * no order when the payload is not one of ours.
 */
export interface TelegramPayment extends InvoiceAmount, TelegramCharge {
  orderId: number | undefined;
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
  const { orderId } = charge;
  if (orderId === undefined) return recordForeignPayment(root, charge);
  return root.fork().transactional(async (em) => {
    await lockOrderCharge(em, orderId);
    const recorded = await paymentOfCharge(em, charge.telegramPaymentChargeId);
    if (recorded) return { created: false, payment: recorded };

    const invoice = await invoiceOf(em, orderId);
    const verdict = paymentVerdict(invoice, charge.payerId, charge);
    const payment = {
      id: crypto.randomUUID(),
      orderId,
      userId: charge.payerId,
      status: verdict.status,
      method: methodOfCharge(charge),
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
      throw new Error(`payment of order ${orderId} conflicts with one recorded under its lock`);
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

/** The money's own kind, whatever an invoice said: Stars go back by refundStarPayment. */
const methodOfCharge = (charge: TelegramPayment) =>
  charge.currency === STARS_CURRENCY ? 'stars' : 'telegram';

/**
 * Money Telegram took for an invoice payload that names no order of ours: recorded once per
 * charge id with no order, owed back (`refund_pending`, `not_payable`), and announced
 * (`payment.refund_pending` without an order id). No order lock: the charge id's unique index
 * keeps copies out.
 */
async function recordForeignPayment(
  root: ServiceEntityManager,
  charge: TelegramPayment,
): Promise<RecordedPayment> {
  return root.fork().transactional(async (em) => {
    const recorded = await paymentOfCharge(em, charge.telegramPaymentChargeId);
    if (recorded) return { created: false, payment: recorded };
    const payment = {
      id: crypto.randomUUID(),
      orderId: null,
      userId: charge.payerId,
      status: 'refund_pending',
      method: methodOfCharge(charge),
      amountCents: charge.totalAmount,
      currency: charge.currency,
      reason: null,
      createdAt: new Date(),
      refundReason: 'not_payable',
      telegramPaymentChargeId: charge.telegramPaymentChargeId,
      providerPaymentChargeId: charge.providerPaymentChargeId,
      telegramUserId: charge.telegramUserId,
    } satisfies PaymentRecord;
    if (!(await insertPayment(em, payment))) {
      // A copy of this charge recorded at the same moment.
      const other = await paymentOfCharge(em, charge.telegramPaymentChargeId);
      if (other) return { created: false, payment: other };
      throw new Error(`payment of charge ${charge.telegramPaymentChargeId} conflicts and cannot be found`);
    }
    await addToOutbox(em, refundPendingEvent(payment));
    return { created: true, payment };
  });
}

import type { CancelReason, InvoiceMethod, PreCheckoutRefusal, RefundReason } from '@shop/shared';

/** An order's invoice as pre-checkout and a recorded payment see it, under one read. */
export interface InvoiceState {
  /** The buyer: only they may pay it. */
  userId: string;
  method: InvoiceMethod;
  amountCents: number;
  currency: string;
  /** The order's cancellation, once `order.cancelled` was heard. */
  cancelReason: CancelReason | null;
  /** A payment is kept for the order already. */
  paid: boolean;
}

/** What Telegram says is being paid: the query's or the payment's currency and total. */
export interface InvoiceAmount {
  currency: string;
  /** In the currency's smallest unit, as Telegram's `total_amount` (whole Stars for XTR). */
  totalAmount: number;
}

/** Why money taken for an order that was then cancelled goes back. */
export const refundReasonOf = (cancelReason: CancelReason): RefundReason =>
  cancelReason === 'expired' ? 'order_expired' : 'order_cancelled';

/**
 * Why pre-checkout refuses `amount` for the invoice (undefined: it may be paid). Someone else's
 * order and one without an invoice are alike `not_found`; a cancellation wins over a payment kept
 * (a paid order the merchant cancelled is `cancelled`); the currency is checked before the
 * amount, which means nothing in another currency.
 */
export function preCheckoutRefusal(
  invoice: InvoiceState | undefined,
  buyerId: string,
  amount: InvoiceAmount,
): PreCheckoutRefusal | undefined {
  if (!invoice || invoice.userId !== buyerId) return 'not_found';
  if (invoice.cancelReason) return invoice.cancelReason === 'expired' ? 'expired' : 'cancelled';
  if (invoice.paid) return 'already_paid';
  if (amount.currency !== invoice.currency) return 'unknown_currency';
  if (amount.totalAmount !== invoice.amountCents) return 'price_changed';
  return undefined;
}

/** What becomes of money Telegram took: kept for the order, or owed back and why. */
export type PaymentVerdict = { status: 'succeeded' } | { status: 'refund_pending'; reason: RefundReason };

/**
 * Whether a payment Telegram took may be kept for the invoice: the same checks as pre-checkout,
 * since the order may have changed between the two. Money that does not fit is never refused, it
 * is owed back: the order was cancelled (`order_expired`, `order_cancelled`), is paid already
 * (`already_paid`), or the payer, the currency or the amount is not the invoice's (`not_payable`).
 */
export function paymentVerdict(
  invoice: InvoiceState | undefined,
  payerId: string,
  amount: InvoiceAmount,
): PaymentVerdict {
  if (!invoice || invoice.userId !== payerId) return { status: 'refund_pending', reason: 'not_payable' };
  if (invoice.cancelReason) return { status: 'refund_pending', reason: refundReasonOf(invoice.cancelReason) };
  if (invoice.paid) return { status: 'refund_pending', reason: 'already_paid' };
  if (amount.currency !== invoice.currency || amount.totalAmount !== invoice.amountCents)
    return { status: 'refund_pending', reason: 'not_payable' };
  return { status: 'succeeded' };
}

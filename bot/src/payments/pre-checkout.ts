import { orderIdOfInvoicePayload, type PreCheckoutRefusal, STARS_CURRENCY } from '@shop/shared';
import type { PreCheckoutQuery } from 'grammy/types';
import { ServiceResponseError } from '../clients/http.ts';
import type { Order } from '../clients/order.ts';
import type { InvoiceQuery, PaymentPreCheckout } from '../clients/payment.ts';
import type { Dependencies } from '../context.ts';

export type Verdict = { ok: true } | { ok: false; reason: PreCheckoutRefusal };

const refuse = (reason: PreCheckoutRefusal): Verdict => ({ ok: false, reason });

/**
 * Pre-checkout refuses a reservation with less than this left: after Telegram's ok the buyer's
 * payment still takes seconds to reach the shop (Telegram charges, then sends successful_payment,
 * the bot records it), and the expiry sweep would cancel the order meanwhile, forcing a refund.
 */
export const PAY_MARGIN_MS = 30_000;

/** ISO 4217 as the runtime knows it, and Stars. */
const knownCurrencies = new Set([...Intl.supportedValuesOf('currency'), STARS_CURRENCY]);

/** What the order alone says about paying `query` now (the order service's view, `GET /orders/:id`). */
export function orderVerdict(order: Order | undefined, query: InvoiceQuery, now: number): Verdict {
  if (order === undefined) return refuse('not_found');
  switch (order.status) {
    case 'awaiting_payment':
      break;
    case 'pending':
      return refuse('not_ready');
    case 'cancelled':
      return refuse(order.cancelReason === 'expired' ? 'expired' : 'cancelled');
    case 'payment_failed':
      return refuse('cancelled');
    case 'paid':
    case 'shipped':
    case 'delivered':
      return refuse('already_paid');
    default:
      // A status this bot does not know yet: nothing to promise the buyer either way.
      return refuse('unavailable');
  }
  // The reservation may lapse before the order service's sweep cancels the order; and one about
  // to lapse would be cancelled by that sweep while the buyer pays, the money then owed back.
  if (order.reservedUntil !== undefined && Date.parse(order.reservedUntil) - now < PAY_MARGIN_MS)
    return refuse('expired');
  if (order.totalCents !== query.totalAmount || order.currency !== query.currency)
    return refuse('price_changed');
  return { ok: true };
}

type Settled<T> = { value: T } | { error: unknown };
const settle = <T>(task: Promise<T>): Promise<Settled<T>> =>
  task.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
const unauthorized = (outcome: Settled<unknown>) =>
  'error' in outcome && outcome.error instanceof ServiceResponseError && outcome.error.status === 401;

/**
 * Whether the buyer of `query` may pay it now: both the order service (the buyer's own order,
 * awaiting payment, not expired, this total and currency) and the payment service (an invoice
 * issued for this buyer and amount, nothing recorded yet) must agree, asked side by side with the
 * buyer's token. A refusal from either side stands even while the other is down; a side that is
 * down with no refusal from the other makes `unavailable`. Nothing is recorded anywhere.
 */
export async function judgePreCheckout(
  deps: Pick<Dependencies, 'orders' | 'payments' | 'signIns'>,
  query: PreCheckoutQuery,
  now: number,
): Promise<Verdict> {
  const orderId = orderIdOfInvoicePayload(query.invoice_payload);
  if (orderId === undefined) return refuse('not_found');
  if (!knownCurrencies.has(query.currency)) return refuse('unknown_currency');
  const invoice: InvoiceQuery = {
    invoicePayload: query.invoice_payload,
    currency: query.currency,
    totalAmount: query.total_amount,
  };
  const [order, payment] = await deps.signIns.withToken(query.from, async (token) => {
    const both = await Promise.all([
      settle(deps.orders.get(token, String(orderId))),
      settle(deps.payments.preCheckout(token, invoice)),
    ]);
    // A token auth no longer takes: withToken renews it and asks both again.
    const expired = both.find(unauthorized);
    if (expired && 'error' in expired) throw expired.error;
    return both;
  });
  const sides: (Verdict | undefined)[] = [
    'value' in order ? orderVerdict(order.value, invoice, now) : undefined,
    'value' in payment ? paymentVerdict(payment.value) : undefined,
  ];
  return (
    sides.find((side) => side !== undefined && !side.ok) ??
    (sides.includes(undefined) ? refuse('unavailable') : { ok: true })
  );
}

const paymentVerdict = (answer: PaymentPreCheckout): Verdict =>
  answer.ok ? { ok: true } : refuse(answer.reason);

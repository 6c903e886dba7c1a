import {
  declineReasons,
  formatMoney,
  languageOf,
  STARS_CURRENCY,
  type CancelReason,
  type DeclineReason,
  type EventData,
  type PaymentMethod,
} from '@shop/shared';
import { reorderButton } from '@shop/shared/callback-data';
import type { OrderItem } from '../db/entities.ts';
import { isRefundReason, refundLines } from './refunds.ts';

/**
 * What a buyer is told about (a `notifications.kind`): news of their order, or the invoice to pay
 * it (`payment.requested`); `payment.succeeded` only on rows from before `order.paid`.
 */
export const MESSAGE_KINDS = [
  'order.paid',
  'order.shipped',
  'order.delivered',
  'order.cancelled',
  'payment.failed',
  'payment.refunded',
  'payment.succeeded',
  'payment.requested',
  'payment.refund_pending',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export type Shortage = EventData<'stock.rejected'>['shortages'][number];

/** What a message about an order says (an invoice is no text: see invoices.ts). */
export interface OutcomeMessage {
  kind: Exclude<MessageKind, 'payment.requested'>;
  orderId: number;
  /**
   * A failed payment's decline code (`declineReasons`, or a provider's own); a cancellation's
   * `CancelReason`; a refund's `RefundReason`.
   */
  reason: string | null;
  /** With a cancellation for lack of stock: the lines that ran short. */
  shortages?: readonly Shortage[] | null;
  /** The merchant's words: a shipment's tracking note, or why they cancelled the order. */
  note?: string | null;
  /** With a cancellation: the order had been paid, and its payment is being refunded. */
  wasPaid?: boolean;
  /** With an expiry: the buyer had been sent an invoice for the order (now deleted). */
  invoiceSent?: boolean;
  /** With a refund: how the payment was taken, and what goes back (else the order's total). */
  method?: PaymentMethod | null;
  refund?: { cents: number; currency: string } | null;
  items: readonly OrderItem[];
  totalCents: number;
  currency: string;
  /** The buyer's Telegram language; Russian for `ru`, English otherwise (as the bot). */
  languageCode: string | null;
}

const texts = {
  en: {
    paid: (order: number) => `✅ Order #${order} is paid.`,
    paidInStars: (order: number) => `✅ Order #${order} is paid in Telegram Stars.`,
    invoiceExpired: (order: number) => `⌛ The invoice for order #${order} expired: it was not paid in time.`,
    orderAgain: '🔁 Order again',
    shipped: (order: number) => `📦 Order #${order} is on its way.`,
    tracking: (note: string) => `Tracking: ${note}`,
    delivered: (order: number) => `🎉 Order #${order} is delivered. Thank you for your purchase!`,
    because: (note: string) => `Reason: ${note}`,
    refunding: 'The payment will be refunded.',
    failed: (order: number) => `❌ Payment for order #${order} failed.`,
    cancelled: {
      out_of_stock: (order: number) => `❌ Order #${order} is cancelled: not enough in stock.`,
      expired: (order: number) => `⌛ Order #${order} is cancelled: it was not paid in time.`,
      buyer: (order: number) => `✖️ Order #${order} is cancelled, as you asked.`,
      merchant: (order: number) => `✖️ Order #${order} was cancelled by the shop.`,
    } satisfies Record<CancelReason, (order: number) => string>,
    shortage: (name: string, left: number) =>
      left === 0 ? `${name}: none left` : `${name}: only ${left} left`,
    after: {
      out_of_stock: 'No money was taken.',
      expired: 'The items held for it are back on sale.',
      buyer: 'The items held for it are back on sale.',
      merchant: null,
    } satisfies Record<CancelReason, string | null>,
    total: 'Total',
    declined: {
      [declineReasons.amountLimitExceeded]:
        'The total is above the limit for one payment. No money was taken.',
      [declineReasons.noPaymentMethod]: 'The shop cannot take payments right now. No money was taken.',
    } satisfies Record<DeclineReason, string>,
    declinedOtherwise: 'The payment was declined. No money was taken.',
  },
  ru: {
    paid: (order: number) => `✅ Заказ №${order} оплачен.`,
    paidInStars: (order: number) => `✅ Заказ №${order} оплачен звёздами Telegram.`,
    invoiceExpired: (order: number) => `⌛ Счёт за заказ №${order} истёк: он не был оплачен вовремя.`,
    orderAgain: '🔁 Заказать снова',
    shipped: (order: number) => `📦 Заказ №${order} отправлен.`,
    tracking: (note: string) => `Отслеживание: ${note}`,
    delivered: (order: number) => `🎉 Заказ №${order} доставлен. Спасибо за покупку!`,
    because: (note: string) => `Причина: ${note}`,
    refunding: 'Оплата будет возвращена.',
    failed: (order: number) => `❌ Оплата заказа №${order} не прошла.`,
    cancelled: {
      out_of_stock: (order: number) => `❌ Заказ №${order} отменён: товара не хватило.`,
      expired: (order: number) => `⌛ Заказ №${order} отменён: он не был оплачен вовремя.`,
      buyer: (order: number) => `✖️ Заказ №${order} отменён по вашей просьбе.`,
      merchant: (order: number) => `✖️ Заказ №${order} отменён магазином.`,
    } satisfies Record<CancelReason, (order: number) => string>,
    shortage: (name: string, left: number) =>
      left === 0 ? `${name}: не осталось` : `${name}: осталось только ${left}`,
    after: {
      out_of_stock: 'Деньги не списаны.',
      expired: 'Отложенные для него товары снова в продаже.',
      buyer: 'Отложенные для него товары снова в продаже.',
      merchant: null,
    } satisfies Record<CancelReason, string | null>,
    total: 'Итого',
    declined: {
      [declineReasons.amountLimitExceeded]: 'Сумма превышает лимит одного платежа. Деньги не списаны.',
      [declineReasons.noPaymentMethod]: 'Магазин сейчас не принимает оплату. Деньги не списаны.',
    } satisfies Record<DeclineReason, string>,
    declinedOtherwise: 'Платёж отклонён. Деньги не списаны.',
  },
} as const;

/** Telegram rejects longer texts; an order has at most 20 items, so clipped names (and a note) always fit. */
const MAX_TEXT_LENGTH = 4096;
const MAX_NAME_LENGTH = 120;
const MAX_NOTE_LENGTH = 500;

const clip = (value: string, length: number) =>
  value.length <= length ? value : `${value.slice(0, length - 1)}…`;

const isKnownReason = (reason: string): reason is DeclineReason =>
  Object.values<string>(declineReasons).includes(reason);
const isCancelReason = (reason: string | null): reason is CancelReason =>
  reason === 'out_of_stock' || reason === 'expired' || reason === 'buyer' || reason === 'merchant';

/**
 * The buyer's message of a refund of money taken for no order of the shop (an invoice it did not
 * issue): what goes back and how, without an order number or lines.
 */
export function renderOrderlessRefund(
  message: Pick<OutcomeMessage, 'method' | 'languageCode'> & {
    kind: 'payment.refund_pending' | 'payment.refunded';
    refund: { cents: number; currency: string };
  },
): string {
  const language = languageOf(message.languageCode);
  const news = {
    kind: message.kind,
    orderId: null,
    method: message.method ?? null,
    amount: formatMoney(message.refund.cents, message.refund.currency, language),
    reason: 'not_payable' as const,
  };
  return clip(refundLines(news, language).join('\n'), MAX_TEXT_LENGTH);
}

/**
 * The text of the message telling a buyer what became of their order, in their language, money
 * written their way: paid (in Stars, when so), shipped (with the merchant's tracking note),
 * delivered, cancelled (why, for lack of stock which products ran short, by the shop with its
 * words and whether the payment is being refunded; an expired one's invoice expired), payment
 * failed (why, in a sentence: a provider's code means nothing to a buyer), a refund under way or
 * done (how, and why). Then the order's lines and total. Plain text: nothing to escape. (An
 * invoice is no text: see invoices.ts.)
 */
export function renderOutcome(message: OutcomeMessage): string {
  const language = languageOf(message.languageCode);
  const text = texts[language];
  const money = (cents: number) => formatMoney(cents, message.currency, language);
  const { orderId, reason } = message;
  const note = message.note ? clip(message.note, MAX_NOTE_LENGTH) : null;
  const lines: string[] = [];
  switch (message.kind) {
    case 'order.paid':
    case 'payment.succeeded':
      lines.push((message.currency === STARS_CURRENCY ? text.paidInStars : text.paid)(orderId));
      break;
    case 'order.shipped':
      lines.push(text.shipped(orderId));
      if (note) lines.push(text.tracking(note));
      break;
    case 'order.delivered':
      lines.push(text.delivered(orderId));
      break;
    case 'payment.failed':
      lines.push(
        text.failed(orderId),
        reason !== null && isKnownReason(reason) ? text.declined[reason] : text.declinedOtherwise,
      );
      break;
    case 'order.cancelled': {
      const why = isCancelReason(reason) ? reason : 'merchant';
      lines.push(
        why === 'expired' && message.invoiceSent
          ? text.invoiceExpired(orderId)
          : text.cancelled[why](orderId),
      );
      for (const { name, available } of message.shortages ?? [])
        lines.push(`• ${text.shortage(clip(name, MAX_NAME_LENGTH), available)}`);
      // Only the shop's words are news to the buyer: their own they know.
      if (why === 'merchant' && note) lines.push(text.because(note));
      const after = message.wasPaid ? text.refunding : text.after[why];
      if (after) lines.push(after);
      break;
    }
    case 'payment.refund_pending':
    case 'payment.refunded': {
      const refund = message.refund ?? { cents: message.totalCents, currency: message.currency };
      const news = {
        kind: message.kind,
        orderId,
        method: message.method ?? null,
        amount: formatMoney(refund.cents, refund.currency, language),
        reason: isRefundReason(reason) ? reason : null,
      };
      lines.push(...refundLines(news, language));
      break;
    }
  }
  lines.push('');
  for (const item of message.items) {
    lines.push(
      `• ${clip(item.name, MAX_NAME_LENGTH)} × ${item.quantity} — ${money(item.unitPriceCents * item.quantity)}`,
    );
  }
  lines.push(`${text.total}: ${money(message.totalCents)}`);
  return clip(lines.join('\n'), MAX_TEXT_LENGTH);
}

/**
 * The buttons under a buyer's message: Order again under an order cancelled because it was not
 * paid in time (the bot puts its lines back in the buyer's cart).
 */
export function outcomeButtons(
  message: Pick<OutcomeMessage, 'kind' | 'orderId' | 'reason' | 'languageCode'>,
): { inline_keyboard: { text: string; callback_data: string }[][] } | undefined {
  if (message.kind !== 'order.cancelled' || message.reason !== 'expired') return undefined;
  const text = texts[languageOf(message.languageCode)];
  return {
    inline_keyboard: [
      [{ text: text.orderAgain, callback_data: reorderButton.build({ order: message.orderId }) }],
    ],
  };
}

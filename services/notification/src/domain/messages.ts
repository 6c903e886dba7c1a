import { declineReasons, formatMoney, languageOf, type DeclineReason } from '@shop/shared';
import type { OrderItem } from '../db/entities.ts';

/** What a payment-outcome message says. */
export interface OutcomeMessage {
  kind: 'payment.succeeded' | 'payment.failed';
  orderId: number;
  /** The decline code of a failed payment (`declineReasons`, or a provider's own). */
  reason: string | null;
  items: readonly OrderItem[];
  totalCents: number;
  currency: string;
  /** The buyer's Telegram language; Russian for `ru`, English otherwise (as the bot). */
  languageCode: string | null;
}

const texts = {
  en: {
    paid: (order: number) => `✅ Order #${order} is paid.`,
    failed: (order: number) => `❌ Payment for order #${order} failed.`,
    total: 'Total',
    declined: {
      [declineReasons.amountLimitExceeded]:
        'The total is above the limit for one payment. No money was taken.',
    } satisfies Record<DeclineReason, string>,
    declinedOtherwise: 'The payment was declined. No money was taken.',
  },
  ru: {
    paid: (order: number) => `✅ Заказ №${order} оплачен.`,
    failed: (order: number) => `❌ Оплата заказа №${order} не прошла.`,
    total: 'Итого',
    declined: {
      [declineReasons.amountLimitExceeded]: 'Сумма превышает лимит одного платежа. Деньги не списаны.',
    } satisfies Record<DeclineReason, string>,
    declinedOtherwise: 'Платёж отклонён. Деньги не списаны.',
  },
} as const;

/** Telegram rejects longer texts; an order has at most 20 items, so clipped names always fit. */
const MAX_TEXT_LENGTH = 4096;
const MAX_NAME_LENGTH = 120;

const clip = (value: string, length: number) =>
  value.length <= length ? value : `${value.slice(0, length - 1)}…`;

const isKnownReason = (reason: string): reason is DeclineReason =>
  Object.values<string>(declineReasons).includes(reason);

/**
 * The text of the message telling a buyer how their payment went, in their language, money
 * written their way. A decline says why in a sentence; a code the shop cannot word gets a general
 * one: a provider's code means nothing to a buyer. Plain text: nothing to escape.
 */
export function renderOutcome(message: OutcomeMessage): string {
  const language = languageOf(message.languageCode);
  const text = texts[language];
  const money = (cents: number) => formatMoney(cents, message.currency, language);
  const lines: string[] = [];
  if (message.kind === 'payment.succeeded') lines.push(text.paid(message.orderId));
  else {
    const { reason } = message;
    lines.push(
      text.failed(message.orderId),
      reason !== null && isKnownReason(reason) ? text.declined[reason] : text.declinedOtherwise,
    );
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

import type { OrderItem } from '../db/entities.ts';

/** What a payment-outcome message says. */
export interface OutcomeMessage {
  kind: 'payment.succeeded' | 'payment.failed';
  orderId: number;
  reason: string | null;
  items: readonly OrderItem[];
  totalCents: number;
  currency: string;
  /** The buyer's Telegram language; Russian for `ru`, English otherwise (as the bot). */
  languageCode: string | null;
}

type Language = 'ru' | 'en';

const texts = {
  en: {
    locale: 'en-US',
    paid: (order: number) => `✅ Order #${order} is paid.`,
    failed: (order: number) => `❌ Payment for order #${order} failed.`,
    reason: 'Reason',
    total: 'Total',
  },
  ru: {
    locale: 'ru-RU',
    paid: (order: number) => `✅ Заказ №${order} оплачен.`,
    failed: (order: number) => `❌ Оплата заказа №${order} не прошла.`,
    reason: 'Причина',
    total: 'Итого',
  },
} as const;

/** Telegram rejects longer texts; an order has at most 20 items, so clipped names always fit. */
const MAX_TEXT_LENGTH = 4096;
const MAX_NAME_LENGTH = 120;

const clip = (value: string, length: number) =>
  value.length <= length ? value : `${value.slice(0, length - 1)}…`;

export function languageOf(languageCode: string | null): Language {
  return languageCode?.toLowerCase().split(/[-_]/)[0] === 'ru' ? 'ru' : 'en';
}

/**
 * Formats integer minor units as money, e.g. 1250 EUR -> "€12.50" (en) or "12,50 €" (ru).
 * The currency's own number of minor digits is used (0 for JPY). The division happens only for
 * display; amounts are never computed in floating point.
 */
export function formatMoney(cents: number, currency: string, locale: string): string {
  const { format, digits } = moneyFormat(locale, currency);
  return format.format(cents / 10 ** digits);
}

// Building an Intl.NumberFormat costs far more than using one: keep one per locale and currency
// (a handful: two locales times the currencies the catalog sells in).
const moneyFormats = new Map<string, { format: Intl.NumberFormat; digits: number }>();
function moneyFormat(locale: string, currency: string) {
  const key = `${locale} ${currency}`;
  let entry = moneyFormats.get(key);
  if (!entry) {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    entry = { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
    moneyFormats.set(key, entry);
  }
  return entry;
}

/** The text of the message telling a buyer how their payment went. Plain text: nothing to escape. */
export function renderOutcome(message: OutcomeMessage): string {
  const text = texts[languageOf(message.languageCode)];
  const money = (cents: number) => formatMoney(cents, message.currency, text.locale);
  const lines: string[] = [
    message.kind === 'payment.succeeded' ? text.paid(message.orderId) : text.failed(message.orderId),
  ];
  if (message.kind === 'payment.failed' && message.reason) lines.push(`${text.reason}: ${message.reason}`);
  lines.push('');
  for (const item of message.items) {
    lines.push(
      `• ${clip(item.name, MAX_NAME_LENGTH)} × ${item.quantity} — ${money(item.unitPriceCents * item.quantity)}`,
    );
  }
  lines.push(`${text.total}: ${money(message.totalCents)}`);
  const rendered = lines.join('\n');
  return clip(rendered, MAX_TEXT_LENGTH);
}

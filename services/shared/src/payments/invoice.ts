import { languageOf } from '../i18n/index.ts';
import type { EventData, InvoiceMethod } from '../messaging/contracts.ts';
import { STARS_CURRENCY } from './payload.ts';

/** One line of the order an invoice is for. */
type OrderItem = EventData<'order.created'>['items'][number];

/** Telegram's limits on an invoice's title and description, in characters. */
export const MAX_INVOICE_TITLE = 32;
export const MAX_INVOICE_DESCRIPTION = 255;
const MAX_LINE_NAME = 60;
const MAX_PRICE_LABEL = 40;

/** One `LabeledPrice`: a label and an amount in the currency's smallest units. */
export interface LabeledPrice {
  label: string;
  amount: number;
}

/** What `sendInvoice` shows, in the Bot API's terms (less the chat). */
export interface Invoice {
  title: string;
  description: string;
  payload: string;
  currency: string;
  prices: LabeledPrice[];
  /** The provider's token for `telegram`; empty for Telegram Stars. */
  providerToken: string;
  /** Where Telegram fetches the photo; sent only if it answers (see invoice-photo.ts). */
  photoUrl?: string;
}

/**
 * Why an invoice was skipped: a `telegram` invoice needs the provider's token, which the payment
 * service had when it chose the method (the same setting, missing here).
 */
export const NO_INVOICE = 'no invoice can be made: TELEGRAM_PAYMENT_PROVIDER_TOKEN is not set';

/** The shop's settings an invoice needs. */
export interface InvoiceSettings {
  /** TELEGRAM_PAYMENT_PROVIDER_TOKEN: without it a `telegram` invoice cannot be sent. */
  providerToken?: string | undefined;
  /** PUBLIC_CATALOG_URL: where Telegram can fetch product photos; without it no photo. */
  publicCatalogUrl?: string | undefined;
}

/** An invoice owed to a buyer, as `payment.requested` asked for it. */
export interface InvoiceRequest {
  orderId: number;
  method: InvoiceMethod;
  invoicePayload: string;
  items: readonly OrderItem[];
  totalCents: number;
  currency: string;
  languageCode: string | null;
}

const texts = {
  en: {
    title: (order: number) => `Order #${order}`,
    more: (count: number) => `… and ${count} more`,
  },
  ru: {
    title: (order: number) => `Заказ №${order}`,
    more: (count: number) => `… и ещё ${count}`,
  },
} as const;

const clip = (value: string, length: number) =>
  value.length <= length ? value : `${value.slice(0, length - 1)}…`;

/** The order's lines, one a line, as many as fit in `limit` characters; the rest counted. */
function describe(items: readonly OrderItem[], more: (count: number) => string, limit: number): string {
  const lines = items.map((item) => `${clip(item.name, MAX_LINE_NAME)} × ${item.quantity}`);
  for (let shown = lines.length; shown > 0; shown -= 1) {
    const kept = lines.slice(0, shown);
    if (shown < lines.length) kept.push(more(lines.length - shown));
    const description = kept.join('\n');
    if (description.length <= limit) return description;
  }
  return clip(lines.join(', '), limit);
}

/**
 * The invoice of an order in the buyer's language: "Order #12", its lines in the description
 * (shortened to Telegram's 255 characters, the lines that do not fit counted), one price per line,
 * except in Telegram Stars, which take exactly one price: the total (so does an order whose lines
 * do not add up to its total, which is what the buyer confirmed). The provider's token goes
 * with `telegram` and none with `stars`; undefined when `telegram` has no token to go with.
 * The photo is the first line's product's, when the shop has a public address for its images.
 */
export function renderInvoice(request: InvoiceRequest, settings: InvoiceSettings): Invoice | undefined {
  const text = texts[languageOf(request.languageCode)];
  const { orderId, items, currency } = request;
  let providerToken = '';
  if (request.method === 'telegram') {
    if (!settings.providerToken) return undefined;
    providerToken = settings.providerToken;
  }
  const title = clip(text.title(orderId), MAX_INVOICE_TITLE);
  const lines = items.map((item) => ({
    label: clip(`${item.name} × ${item.quantity}`, MAX_PRICE_LABEL),
    amount: item.unitPriceCents * item.quantity,
  }));
  // Telegram charges the sum of the prices: the lines only when they add up to the total.
  const addsUp = lines.reduce((sum, line) => sum + line.amount, 0) === request.totalCents;
  const prices =
    currency === STARS_CURRENCY || !addsUp ? [{ label: title, amount: request.totalCents }] : lines;
  const [first] = items;
  const base = settings.publicCatalogUrl?.replace(/\/+$/, '');
  return {
    title,
    description: describe(items, text.more, MAX_INVOICE_DESCRIPTION),
    payload: request.invoicePayload,
    currency,
    prices,
    providerToken,
    ...(base && first ? { photoUrl: `${base}/products/${first.productId}/image` } : {}),
  };
}

/**
 * The invoice as the Bot API's `sendInvoice` and `createInvoiceLink` take it (without `chat_id`):
 * one mapping for the chat's invoice and the Mini App's invoice link.
 */
export const invoiceParams = (invoice: Invoice): Record<string, unknown> => ({
  title: invoice.title,
  description: invoice.description,
  payload: invoice.payload,
  provider_token: invoice.providerToken,
  currency: invoice.currency,
  prices: invoice.prices,
  ...(invoice.photoUrl ? { photo_url: invoice.photoUrl } : {}),
});

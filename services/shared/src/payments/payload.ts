/**
 * What the bot, the payment service and notification agree on about Telegram invoices
 * (docs/decisions/telegram-payments.md). The event payloads are in messaging/contracts.ts.
 */

const PAYLOAD_PREFIX = 'order:';

/**
 * The invoice payload of an order: it names the order and nothing else. It is never trusted:
 * pre-checkout and the payment record check it against the order (its buyer, amount, currency,
 * status), so a forged payload can at most name an order that then refuses it.
 */
export const invoicePayloadOf = (orderId: number): string => `${PAYLOAD_PREFIX}${orderId}`;

/** The order an invoice payload names, or undefined when it is not one of ours. */
export function orderIdOfInvoicePayload(payload: string): number | undefined {
  if (!payload.startsWith(PAYLOAD_PREFIX)) return undefined;
  const digits = payload.slice(PAYLOAD_PREFIX.length);
  if (!/^[1-9]\d{0,14}$/.test(digits)) return undefined;
  return Number(digits);
}

/** Telegram Stars: the currency of digital goods, paid without a provider token. */
export const STARS_CURRENCY = 'XTR';

/**
 * Why pre-checkout refuses an invoice (`ok: false`); the bot words each one in the buyer's
 * language. `not_found`: not this user's order, or no such order (never told apart);
 * `not_ready`: the order's stock is still being reserved; `unavailable`: a service did not
 * answer in time (nothing is charged, the buyer may try again).
 */
export const preCheckoutRefusals = [
  'not_found',
  'not_ready',
  'cancelled',
  'expired',
  'already_paid',
  'price_changed',
  'unknown_currency',
  'unavailable',
] as const;
export type PreCheckoutRefusal = (typeof preCheckoutRefusals)[number];

import { type Delivery, ServiceUnavailableError } from '@shop/shared';
import { InlineKeyboard } from 'grammy';
import {
  type CheckoutButton,
  checkoutButtonOf,
  checkoutConfirmButton,
  checkoutStepButton,
} from '../buttons.ts';
import { ServiceResponseError } from '../clients/http.ts';
import { type OrderInput, PriceChangedError } from '../clients/order.ts';
import type { ConvContext, Dependencies, ShopConversation, Translator } from '../context.ts';
import { money } from '../format.ts';
import { SessionExpiredError, type TelegramUser } from '../sign-ins.ts';

/** What a checkout orders: one product at a quantity (Buy now), or the buyer's cart. */
export type CheckoutSource = { from: 'product'; product: string; quantity: number } | { from: 'cart' };

export interface Checkout {
  conversation: ShopConversation;
  source: CheckoutSource;
  /** Short id of this checkout in callback data: buttons of another checkout are old buttons. */
  tag: string;
  locale: string;
}

/** This checkout's button behind `ctx`, or undefined for any other update. */
export const buttonOf = (ctx: ConvContext, tag: string): CheckoutButton | undefined => {
  const button = checkoutButtonOf(ctx.callbackQuery?.data);
  return button?.tag === tag ? button : undefined;
};

/** One line of the summary, priced as the buyer is shown it. */
export interface SummaryLine {
  productId: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
}

/** What the buyer is asked to confirm. */
export interface Summary {
  lines: SummaryLine[];
  totalCents: number;
  currency: string;
  delivery: Delivery;
}

export const summaryOf = (lines: SummaryLine[], currency: string, delivery: Delivery): Summary => ({
  lines,
  currency,
  delivery,
  totalCents: lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0),
});

export function summaryText(ctx: Translator, summary: Summary, locale: string): string {
  const price = (cents: number) => money(cents, summary.currency, locale);
  return ctx.t('checkout-summary', {
    lines: summary.lines
      .map((line) =>
        ctx.t('checkout-summary-line', {
          name: line.name,
          quantity: line.quantity,
          price: price(line.unitPriceCents),
          total: price(line.unitPriceCents * line.quantity),
        }),
      )
      .join('\n'),
    name: summary.delivery.name,
    phone: summary.delivery.phone,
    address: summary.delivery.address,
    total: price(summary.totalCents),
  });
}

export const summaryKeyboard = (ctx: Translator, tag: string, { totalCents }: Summary) =>
  new InlineKeyboard()
    .text(ctx.t('btn-confirm'), checkoutConfirmButton.build({ tag, totalCents }))
    .text(ctx.t('btn-cancel'), checkoutStepButton.build({ tag, step: 'cancel' }))
    .row()
    .text(ctx.t('btn-change-delivery'), checkoutStepButton.build({ tag, step: 'delivery' }));

/** The order request a confirmed summary makes. */
export function orderOf(source: CheckoutSource, summary: Summary): OrderInput {
  const confirmed = { expectedTotalCents: summary.totalCents, delivery: summary.delivery };
  return source.from === 'cart'
    ? { fromCart: true, ...confirmed }
    : { items: [{ productId: source.product, quantity: source.quantity }], ...confirmed };
}

export type Placed =
  | { kind: 'placed'; id: string; totalCents: number; currency: string }
  | { kind: 'price-changed'; lines: SummaryLine[]; currency: string }
  | { kind: 'down' }
  | { kind: 'sign-in-refused' }
  | { kind: 'rejected'; code: string; names: string[] };

/** Names of the products a 409 product_unavailable lists, if it does. */
function namesIn(details: unknown): string[] {
  const items = (details as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) return [];
  return items.flatMap((item: unknown) => {
    const name = (item as { name?: unknown } | null)?.name;
    return typeof name === 'string' ? [name] : [];
  });
}

/**
 * POST /orders with this checkout's Idempotency-Key and the total the buyer confirmed: however
 * often it runs, one order, and only at that total. A buyer not signed in yet is signed in by
 * their Telegram identity first.
 */
export async function placeOrder(
  deps: Dependencies,
  buyer: TelegramUser,
  order: OrderInput,
  idempotencyKey: string,
  locale: string,
): Promise<Placed> {
  try {
    const placed = await deps.signIns.withToken(buyer, (token) =>
      deps.orders.create(token, order, idempotencyKey, locale),
    );
    return { kind: 'placed', id: placed.id, totalCents: placed.totalCents, currency: placed.currency };
  } catch (error) {
    if (error instanceof PriceChangedError) {
      const { items, currency } = error.current;
      if (items.length > 0) return { kind: 'price-changed', lines: items, currency };
      return { kind: 'rejected', code: 'price_changed', names: [] };
    }
    if (error instanceof ServiceUnavailableError) return { kind: 'down' };
    if (error instanceof SessionExpiredError) return { kind: 'sign-in-refused' };
    if (error instanceof ServiceResponseError)
      return { kind: 'rejected', code: error.code, names: namesIn(error.details) };
    throw error;
  }
}

/** What the buyer is told when the order service refused the order. */
export function rejectionText(ctx: Translator, code: string, names: string[]): string {
  switch (code) {
    case 'insufficient_stock':
      return ctx.t('order-out-of-stock');
    case 'product_unavailable':
      return ctx.t('order-product-gone', { names: names.join(', ') });
    case 'cart_empty':
      return ctx.t('order-cart-empty');
    case 'cart_changed':
      return ctx.t('order-cart-changed');
    default:
      return ctx.t('order-rejected');
  }
}

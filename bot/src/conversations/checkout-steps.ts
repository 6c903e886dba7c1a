import { ServiceUnavailableError } from '@shop/shared';
import { InlineKeyboard } from 'grammy';
import {
  type CheckoutButton,
  checkoutButtonOf,
  checkoutConfirmButton,
  checkoutStepButton,
} from '../buttons.ts';
import type { Product } from '../clients/catalog.ts';
import { ServiceResponseError } from '../clients/http.ts';
import { PriceChangedError } from '../clients/order.ts';
import type { ConvContext, Dependencies, ShopConversation, Translator } from '../context.ts';
import { money } from '../format.ts';
import { SessionExpiredError, type TelegramUser } from '../sign-ins.ts';

export interface Checkout {
  conversation: ShopConversation;
  product: Product;
  /** Short id of this checkout in callback data: buttons of another checkout are old buttons. */
  tag: string;
  locale: string;
}

/** This checkout's button behind `ctx`, or undefined for any other update. */
export const buttonOf = (ctx: ConvContext, tag: string): CheckoutButton | undefined => {
  const button = checkoutButtonOf(ctx.callbackQuery?.data);
  return button?.tag === tag ? button : undefined;
};

export async function stray(ctx: ConvContext, hint: string) {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('button-inactive') });
  else if (ctx.message) await ctx.reply(ctx.t(hint));
}

export type LoadedProduct = { kind: 'found'; product: Product } | { kind: 'gone' } | { kind: 'down' };

export async function loadProduct(deps: Dependencies, id: string, locale: string): Promise<LoadedProduct> {
  try {
    const product = await deps.catalog.product(id, locale);
    return product ? { kind: 'found', product } : { kind: 'gone' };
  } catch (error) {
    if (error instanceof ServiceUnavailableError) return { kind: 'down' };
    throw error;
  }
}

export type Placed =
  | { kind: 'placed'; id: string; totalCents: number; currency: string }
  | { kind: 'price-changed'; name: string; unitPriceCents: number; currency: string }
  | { kind: 'down' }
  | { kind: 'sign-in-refused' }
  | { kind: 'rejected'; code: string };

/**
 * POST /orders with this checkout's Idempotency-Key and the total the buyer confirmed: however
 * often it runs, one order, and only at that total. A buyer not signed in yet is signed in by
 * their Telegram identity first.
 */
export async function placeOrder(
  deps: Dependencies,
  buyer: TelegramUser,
  order: { productId: string; quantity: number; expectedTotalCents: number },
  idempotencyKey: string,
  locale: string,
): Promise<Placed> {
  const { expectedTotalCents, ...item } = order;
  try {
    const placed = await deps.signIns.withToken(buyer, (token) =>
      deps.orders.create(token, { items: [item], expectedTotalCents }, idempotencyKey, locale),
    );
    return { kind: 'placed', id: placed.id, totalCents: placed.totalCents, currency: placed.currency };
  } catch (error) {
    if (error instanceof PriceChangedError) {
      const [now] = error.current.items;
      if (now) {
        const { name, unitPriceCents } = now;
        return { kind: 'price-changed', name, unitPriceCents, currency: error.current.currency };
      }
      return { kind: 'rejected', code: 'price_changed' };
    }
    if (error instanceof ServiceUnavailableError) return { kind: 'down' };
    if (error instanceof SessionExpiredError) return { kind: 'sign-in-refused' };
    if (error instanceof ServiceResponseError) return { kind: 'rejected', code: error.code };
    throw error;
  }
}

/** A typed quantity: the message key of what is wrong with it, or the number. */
export function parseQuantity(
  text: string,
  stock: number,
): { problem: string; stock?: number } | { quantity: number } {
  if (!/^\s*[-+]?\d{1,12}\s*$/.test(text)) return { problem: 'quantity-not-number' };
  const quantity = Number(text);
  if (quantity < 1) return { problem: 'quantity-min' };
  if (quantity > stock) return { problem: 'quantity-max', stock };
  return { quantity };
}

export function quantityText(ctx: Translator, product: Product, quantity: number, locale: string): string {
  return ctx.t('checkout-quantity', {
    name: product.name,
    price: money(product.priceCents, product.currency, locale),
    stock: product.stock,
    quantity,
  });
}

/** The prompt once the quantity is settled by a typed number: no buttons, no instructions. */
export function chosenQuantityText(
  ctx: Translator,
  product: Product,
  quantity: number,
  locale: string,
): string {
  return ctx.t('checkout-quantity-chosen', {
    name: product.name,
    price: money(product.priceCents, product.currency, locale),
    quantity,
  });
}

export const quantityKeyboard = (ctx: Translator, tag: string, quantity: number) =>
  new InlineKeyboard()
    .text('➖', checkoutStepButton.build({ tag, step: 'minus' }))
    .text(String(quantity), checkoutStepButton.build({ tag, step: 'count' }))
    .text('➕', checkoutStepButton.build({ tag, step: 'plus' }))
    .row()
    .text(ctx.t('btn-continue'), checkoutStepButton.build({ tag, step: 'continue' }))
    .text(ctx.t('btn-cancel'), checkoutStepButton.build({ tag, step: 'cancel' }));

/** What the buyer is asked to confirm: `product` as priced now, `quantity` of it. */
export interface Summary {
  product: Product;
  quantity: number;
  totalCents: number;
}

export const summaryOf = (product: Product, quantity: number): Summary => ({
  product,
  quantity,
  totalCents: product.priceCents * quantity,
});

export function summaryText(
  ctx: Translator,
  { product, quantity, totalCents }: Summary,
  locale: string,
): string {
  return ctx.t('checkout-summary', {
    name: product.name,
    quantity,
    price: money(product.priceCents, product.currency, locale),
    total: money(totalCents, product.currency, locale),
  });
}

export const summaryKeyboard = (ctx: Translator, tag: string, { totalCents }: Summary) =>
  new InlineKeyboard()
    .text(ctx.t('btn-confirm'), checkoutConfirmButton.build({ tag, totalCents }))
    .text(ctx.t('btn-cancel'), checkoutStepButton.build({ tag, step: 'cancel' }));

import { ServiceUnavailableError } from '@shop/shared';
import { InlineKeyboard } from 'grammy';
import type { Product } from '../clients/catalog.ts';
import { ServiceResponseError } from '../clients/http.ts';
import type { Dependencies, Translator } from '../context.ts';
import { money } from '../format.ts';
import { SessionExpiredError } from '../sign-ins.ts';

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
  | { kind: 'down' }
  | { kind: 'expired' }
  | { kind: 'rejected'; code: string };

/** POST /orders with this checkout's Idempotency-Key: however often it runs, one order. */
export async function placeOrder(
  deps: Dependencies,
  telegramId: number,
  item: { productId: string; quantity: number },
  idempotencyKey: string,
  locale: string,
): Promise<Placed> {
  try {
    const order = await deps.signIns.withToken(telegramId, (token) =>
      deps.orders.create(token, [item], idempotencyKey, locale),
    );
    return { kind: 'placed', id: order.id, totalCents: order.totalCents, currency: order.currency };
  } catch (error) {
    if (error instanceof ServiceUnavailableError) return { kind: 'down' };
    if (error instanceof SessionExpiredError) return { kind: 'expired' };
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

export const quantityKeyboard = (ctx: Translator, tag: string, quantity: number) =>
  new InlineKeyboard()
    .text('➖', `k:${tag}:-`)
    .text(String(quantity), `k:${tag}:n`)
    .text('➕', `k:${tag}:+`)
    .row()
    .text(ctx.t('btn-continue'), `k:${tag}:ok`)
    .text(ctx.t('btn-cancel'), `k:${tag}:no`);

export function summaryText(ctx: Translator, product: Product, quantity: number, locale: string): string {
  return ctx.t('checkout-summary', {
    name: product.name,
    quantity,
    price: money(product.priceCents, product.currency, locale),
    total: money(product.priceCents * quantity, product.currency, locale),
  });
}

export const summaryKeyboard = (ctx: Translator, tag: string) =>
  new InlineKeyboard().text(ctx.t('btn-confirm'), `k:${tag}:buy`).text(ctx.t('btn-cancel'), `k:${tag}:no`);

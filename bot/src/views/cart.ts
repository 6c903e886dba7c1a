import { InlineKeyboard } from 'grammy';
import {
  cartButton,
  cartCheckoutButton,
  cartClearButton,
  cartQuantityButton,
  cartRemoveButton,
  categoriesButton,
} from '../buttons.ts';
import type { Cart, CartLine } from '../clients/order.ts';
import type { Translator } from '../context.ts';
import { money } from '../format.ts';
import type { View } from '../ui.ts';

function lineText(ctx: Translator, locale: string, line: CartLine, n: number): string {
  if (line.unitPriceCents === null || line.currency === null)
    return ctx.t('cart-line-gone', { n, name: line.name });
  if (!line.available)
    return ctx.t('cart-line-short', { n, name: line.name, quantity: line.quantity, stock: line.stock });
  return ctx.t('cart-line', {
    n,
    name: line.name,
    quantity: line.quantity,
    total: money(line.unitPriceCents * line.quantity, line.currency, locale),
  });
}

/**
 * The cart in one message: a numbered line per product (marked when it is gone or short of
 * stock), the total, and per line ➖ / ➕ / 🗑 (only 🗑 for a product that is gone), then
 * Checkout, Clear and the catalog.
 */
export function cartView(ctx: Translator, locale: string, cart: Cart): View {
  const keyboard = new InlineKeyboard();
  if (cart.items.length === 0)
    return {
      text: ctx.t('cart-empty'),
      keyboard: keyboard.text(ctx.t('menu-catalog'), categoriesButton.build()),
    };
  for (const [index, line] of cart.items.entries()) {
    const product = line.productId;
    if (line.unitPriceCents === null) {
      keyboard.text(`🗑 ${index + 1}. ${line.name}`, cartRemoveButton.build({ product })).row();
      continue;
    }
    keyboard
      .text('➖', cartQuantityButton.build({ product, quantity: line.quantity - 1 }))
      .text(`${index + 1}. ${line.name} × ${line.quantity}`, cartButton.build())
      .text('➕', cartQuantityButton.build({ product, quantity: line.quantity + 1 }))
      .text('🗑', cartRemoveButton.build({ product }))
      .row();
  }
  keyboard
    .text(ctx.t('btn-checkout'), cartCheckoutButton.build())
    .text(ctx.t('btn-clear-cart'), cartClearButton.build())
    .row()
    .text(ctx.t('menu-catalog'), categoriesButton.build());
  const unavailable = cart.items.some((line) => !line.available);
  const text = [
    ctx.t('cart-title'),
    ...cart.items.map((line, index) => lineText(ctx, locale, line, index + 1)),
    cart.currency === null
      ? ''
      : ctx.t('cart-total', { total: money(cart.totalCents, cart.currency, locale) }),
    unavailable ? ctx.t('cart-fix-unavailable') : '',
  ].filter((part) => part !== '');
  return { text: text.join('\n'), keyboard };
}

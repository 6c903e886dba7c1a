import { type Delivery, ServiceUnavailableError } from '@shop/shared';
import type { Dependencies } from '../context.ts';
import { SessionExpiredError, type TelegramUser } from '../sign-ins.ts';
import type { CheckoutSource, SummaryLine } from './checkout-steps.ts';

/** What a checkout starts from, or why it cannot start. */
export type Loaded =
  | { kind: 'ready'; lines: SummaryLine[]; currency: string; delivery: Delivery | null }
  | { kind: 'down'; service: string }
  /** Auth refused to sign the buyer in (by their Telegram identity, too). */
  | { kind: 'sign-in-refused' }
  /** Buy now: the product is gone, or has less stock than the quantity. */
  | { kind: 'gone' }
  | { kind: 'short'; stock: number }
  /** From the cart: it is empty, or some line cannot be bought as it is. */
  | { kind: 'empty' }
  | { kind: 'unavailable' };

/**
 * The lines to order, priced as they are now, and the delivery details the buyer used last
 * (`GET /cart` has both). Runs inside `conversation.external`: it returns plain data only.
 */
export async function loadCheckout(
  deps: Dependencies,
  buyer: TelegramUser,
  source: CheckoutSource,
  locale: string,
): Promise<Loaded> {
  try {
    const cart = await deps.signIns.withToken(buyer, (token) => deps.orders.cart(token, locale));
    if (source.from === 'cart') {
      if (cart.items.length === 0) return { kind: 'empty' };
      const lines: SummaryLine[] = [];
      for (const { productId, name, unitPriceCents, quantity, available, currency } of cart.items) {
        if (!available || unitPriceCents === null || currency !== cart.currency)
          return { kind: 'unavailable' };
        lines.push({ productId, name, unitPriceCents, quantity });
      }
      if (cart.currency === null) return { kind: 'unavailable' };
      return { kind: 'ready', lines, currency: cart.currency, delivery: cart.delivery };
    }
    const product = await deps.catalog.product(source.product, locale);
    if (!product) return { kind: 'gone' };
    if (product.stock < source.quantity) return { kind: 'short', stock: product.stock };
    const line = {
      productId: product.id,
      name: product.name,
      unitPriceCents: product.priceCents,
      quantity: source.quantity,
    };
    return { kind: 'ready', lines: [line], currency: product.currency, delivery: cart.delivery };
  } catch (error) {
    if (error instanceof ServiceUnavailableError) return { kind: 'down', service: error.dependency };
    if (error instanceof SessionExpiredError) return { kind: 'sign-in-refused' };
    throw error;
  }
}

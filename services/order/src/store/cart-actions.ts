import type { OrderDeps } from '../deps.ts';
import { cartFull, cartView, productNotFound, type CartView } from '../domain/cart.ts';
import { clearCart, putCartLine, readCart, removeCartLine } from './cart.ts';

interface Caller {
  userId: string;
  /** Forwarded to the catalog: names in the buyer's language. */
  acceptLanguage?: string;
}

/** The caller's cart priced by the catalog now: ONE catalog request for all its lines. */
export async function showCart(deps: OrderDeps, { userId, acceptLanguage }: Caller): Promise<CartView> {
  const { lines, delivery } = await readCart(deps.em.fork(), userId);
  const products =
    lines.length === 0
      ? []
      : await deps.catalog.productsByIds(
          lines.map((line) => line.productId),
          { acceptLanguage },
        );
  return cartView(lines, products, delivery);
}

/**
 * Puts `quantity` of a product the catalog sells into the caller's cart (replacing the line's
 * quantity). 404 for a product the catalog does not sell, 409 cart_full for a product beyond
 * MAX_ITEMS. More than the stock is kept and shown as unavailable: stock changes by the minute,
 * and the order is what checks it.
 */
export async function setCartQuantity(
  deps: OrderDeps,
  caller: Caller,
  productId: number,
  quantity: number,
): Promise<CartView> {
  // Before any database work: no connection is held while the catalog answers.
  const [product] = await deps.catalog.productsByIds([productId], { acceptLanguage: caller.acceptLanguage });
  if (!product) throw productNotFound(productId);
  const put = await putCartLine(deps.em.fork(), caller.userId, { productId, quantity, name: product.name });
  if (!put) throw cartFull();
  return showCart(deps, caller);
}

/** Takes a product out of the caller's cart; a product that is not there is no error. */
export async function removeFromCart(deps: OrderDeps, caller: Caller, productId: number): Promise<CartView> {
  await removeCartLine(deps.em.fork(), caller.userId, productId);
  return showCart(deps, caller);
}

export async function emptyCart(deps: OrderDeps, userId: string): Promise<void> {
  await clearCart(deps.em.fork(), userId);
}

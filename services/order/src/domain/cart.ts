import { AppError, conflict, type Delivery } from '@shop/shared';
import type { CatalogProduct } from '../clients/catalog.ts';
import { MAX_ITEMS } from './limits.ts';

/** A line as the cart table keeps it. */
export interface CartLine {
  productId: number;
  quantity: number;
  /** The product's name when the line was last set: names a product the catalog has since deleted. */
  name: string;
}

/** A cart line as `GET /cart` shows it, priced by the catalog now. */
export interface CartItemView {
  productId: number;
  name: string;
  /** Null when the catalog no longer sells the product. */
  unitPriceCents: number | null;
  currency: string | null;
  quantity: number;
  /** What can be bought now (0 for a product that is gone). */
  stock: number;
  /** False when the product is gone or has less stock than the line's quantity. */
  available: boolean;
}

export interface CartView {
  items: CartItemView[];
  /** The sum over the available lines in the cart's currency. */
  totalCents: number;
  /** The currency of the first available line (of the first live one if none is); null for none. */
  currency: string | null;
  /** The delivery details of the buyer's latest order that had some: offered for the next checkout. */
  delivery: Delivery | null;
}

/**
 * The cart priced with the catalog's products as they are now (`products`: the live ones among
 * the lines). Lines keep their order; a line whose product is gone or short of stock stays, marked
 * unavailable, so the buyer sees what changed.
 */
export function cartView(
  lines: readonly CartLine[],
  products: readonly CatalogProduct[],
  delivery: Delivery | null,
): CartView {
  const byId = new Map(products.map((product) => [product.id, product]));
  const items = lines.map((line): CartItemView => {
    const product = byId.get(line.productId);
    if (!product) {
      return { ...line, unitPriceCents: null, currency: null, stock: 0, available: false };
    }
    return {
      productId: line.productId,
      name: product.name,
      unitPriceCents: product.priceCents,
      currency: product.currency,
      quantity: line.quantity,
      stock: product.stock,
      available: line.quantity <= product.stock,
    };
  });
  const currency =
    items.find((item) => item.available)?.currency ?? items.find((item) => item.currency)?.currency ?? null;
  const totalCents = items
    .filter((item) => item.available && item.currency === currency)
    .reduce((sum, item) => sum + (item.unitPriceCents ?? 0) * item.quantity, 0);
  return { items, totalCents, currency, delivery };
}

export const cartFull = () =>
  conflict(
    'cart_full',
    `A cart holds at most ${MAX_ITEMS} different products: remove one or check out first`,
    { maxItems: MAX_ITEMS },
  );

export const cartEmpty = () => conflict('cart_empty', 'The cart is empty: add products before checking out');

/** 404 for a product the catalog does not sell (never did, or deleted). */
export const productNotFound = (productId: number) =>
  new AppError(404, 'product_not_found', `product ${productId} was not found`, { productIds: [productId] });

/**
 * 409 when lines of the cart name products the catalog no longer sells: the order is refused,
 * naming them, rather than placed without them.
 */
export function goneFromCart(gone: readonly CartLine[]): AppError {
  const names = gone.map((line) => `"${line.name}" (product ${line.productId})`).join(', ');
  const verb = gone.length === 1 ? 'is' : 'are';
  return conflict(
    'product_unavailable',
    `${names} ${verb} no longer sold: remove ${gone.length === 1 ? 'it' : 'them'} from the cart and check out again`,
    { items: gone.map(({ productId, name }) => ({ productId, name })) },
  );
}

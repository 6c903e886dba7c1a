import { AppError, conflict } from '@shop/shared';
import type { CatalogProduct } from '../clients/catalog.ts';

export interface RequestedItem {
  productId: number;
  quantity: number;
}

export interface PricedItem extends RequestedItem {
  name: string;
  unitPriceCents: number;
}

export interface PricedOrder {
  items: PricedItem[];
  totalCents: number;
  currency: string;
}

/** `orders.total_cents` is an int4 column. */
const MAX_TOTAL_CENTS = 2_147_483_647;

const list = (ids: readonly number[]) => ids.join(', ');

/**
 * Prices the requested items with the catalog's names, prices and stock as they are now. The
 * client never sends a price. Throws 404 for products the catalog does not have (or deleted),
 * 409 for more than the stock or for products in different currencies.
 */
export function priceOrder(
  requested: readonly RequestedItem[],
  products: readonly CatalogProduct[],
): PricedOrder {
  const byId = new Map(products.map((product) => [product.id, product]));
  const missing = requested.filter((item) => !byId.has(item.productId)).map((item) => item.productId);
  if (missing.length > 0) {
    const message =
      missing.length === 1
        ? `product ${list(missing)} was not found`
        : `products ${list(missing)} were not found`;
    throw new AppError(404, 'product_not_found', message, { productIds: missing });
  }

  const items = requested.map((item) => {
    const product = byId.get(item.productId) as CatalogProduct;
    return {
      ...item,
      name: product.name,
      unitPriceCents: product.priceCents,
      stock: product.stock,
      currency: product.currency,
    };
  });

  const short = items.filter((item) => item.quantity > item.stock);
  const [first] = short;
  if (first) {
    throw conflict(
      'insufficient_stock',
      `product ${first.productId} (${first.name}) has ${first.stock} in stock, ${first.quantity} requested`,
      {
        items: short.map((item) => ({
          productId: item.productId,
          requested: item.quantity,
          available: item.stock,
        })),
      },
    );
  }

  const currencies = [...new Set(items.map((item) => item.currency))];
  const [currency] = currencies;
  if (currency === undefined || currencies.length > 1) {
    throw conflict(
      'mixed_currencies',
      `One order takes one currency; these products are priced in ${currencies.join(' and ')}`,
      {
        currencies,
      },
    );
  }

  const totalCents = items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);
  if (totalCents > MAX_TOTAL_CENTS) {
    throw new AppError(
      400,
      'order_total_too_large',
      `The order total must not exceed ${MAX_TOTAL_CENTS} minor units`,
    );
  }
  return {
    items: items.map(({ productId, quantity, name, unitPriceCents }) => ({
      productId,
      quantity,
      name,
      unitPriceCents,
    })),
    totalCents,
    currency,
  };
}

/**
 * 409 price_changed when the buyer confirmed another total than the catalog's prices give now
 * (undefined when they confirmed none, or this one). The details carry the current prices, so
 * the client can show them and ask again.
 */
export function priceChange(
  priced: PricedOrder,
  expectedTotalCents: number | undefined,
): AppError | undefined {
  if (expectedTotalCents === undefined || priced.totalCents === expectedTotalCents) return undefined;
  return conflict(
    'price_changed',
    `The order now totals ${priced.totalCents} ${priced.currency} minor units, not the expected ${expectedTotalCents}`,
    { expectedTotalCents, totalCents: priced.totalCents, currency: priced.currency, items: priced.items },
  );
}

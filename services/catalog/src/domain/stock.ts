import type { EventData, EventOf } from '@shop/shared';

/** One line of an order as the stock needs it (names and prices stay with the order). */
export interface StockLine {
  productId: number;
  quantity: number;
}

/** The events that move stock: an order placed, then paid, cancelled or failed; a paid one cancelled. */
export const STOCK_EVENTS = [
  'order.created',
  'order.paid',
  'order.cancelled',
  'order.payment_failed',
] as const;
export type StockEvent = EventOf<(typeof STOCK_EVENTS)[number]>;

/**
 * Where an order's reservation stands. `reserved`: its units are held for it; `sold`: they left
 * with the paid order; `returned`: sold, then the merchant cancelled the order and they are back
 * on hand; `released`: held once and given back, or (with no lines) cancelled before its order
 * arrived; `rejected`: nothing was reserved, the stock was short.
 */
export const reservationStates = ['reserved', 'sold', 'returned', 'released', 'rejected'] as const;
export type ReservationState = (typeof reservationStates)[number];

export interface Reservation {
  state: ReservationState;
  /** One line per product; null for a cancellation that arrived before its order (a tombstone). */
  lines: StockLine[] | null;
}

/** A product's units as the reservation step sees them, locked for the transaction. */
export interface ProductStock {
  /** Units on hand, reserved ones included. */
  stock: number;
  /** Units held for orders not paid yet. */
  reserved: number;
  /** A deleted product is never reserved (its units stay on hand). */
  deleted: boolean;
}

export type Shortage = EventData<'stock.rejected'>['shortages'][number];

/** What one event does to its order's reservation. */
export type StockStep =
  | 'reserve'
  | 'sell'
  | 'release'
  | 'restock'
  | 'tombstone'
  | 'keep-cancelled'
  | 'duplicate'
  | 'no-reservation';

/** An order that ends unpaid gives back what it holds, or leaves a tombstone if it has not arrived yet. */
const endUnpaid = (current: Reservation | undefined): StockStep =>
  !current ? 'tombstone' : current.state === 'reserved' ? 'release' : 'duplicate';

/**
 * The legal moves, as a table of (event, current state): an order is reserved once, when it
 * arrives; only a reservation still held is sold or released; a sold one comes back on hand once,
 * when its paid order is cancelled; a cancellation that overtakes its order leaves a tombstone so
 * that the order, when it comes, reserves nothing. Whatever else arrives (a copy under a new id, a
 * late event) changes nothing.
 */
export function stepFor(type: StockEvent['type'], current: Reservation | undefined): StockStep {
  switch (type) {
    case 'order.created':
      if (!current) return 'reserve';
      return current.lines === null ? 'keep-cancelled' : 'duplicate';
    case 'order.paid':
      if (!current) return 'no-reservation';
      return current.state === 'reserved'
        ? 'sell'
        : current.state === 'sold'
          ? 'duplicate'
          : 'no-reservation';
    case 'order.cancelled':
      return current?.state === 'sold' ? 'restock' : endUnpaid(current);
    case 'order.payment_failed':
      return endUnpaid(current);
  }
}

/** Units of a product that can still be bought: on hand minus reserved; none of a deleted or unknown one. */
export const availableOf = (product: ProductStock | undefined): number =>
  product && !product.deleted ? Math.max(0, product.stock - product.reserved) : 0;

/** Only what the stock needs, one line per product (a product named twice counts twice). */
export function mergeLines(items: readonly StockLine[]): StockLine[] {
  const quantities = new Map<number, number>();
  for (const { productId, quantity } of items)
    quantities.set(productId, (quantities.get(productId) ?? 0) + quantity);
  return [...quantities].map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * The lines of `items` that the stock cannot cover, with the name the order gave each product;
 * empty when every line can be reserved.
 */
export function shortagesOf(
  items: readonly (StockLine & { name: string })[],
  products: ReadonlyMap<number, ProductStock>,
): Shortage[] {
  const names = new Map(items.map((item) => [item.productId, item.name]));
  return mergeLines(items).flatMap(({ productId, quantity }) => {
    const available = availableOf(products.get(productId));
    return quantity > available
      ? [{ productId, name: names.get(productId) ?? String(productId), requested: quantity, available }]
      : [];
  });
}

/** Moves `lines` by `change` in `products` (which must hold them all). */
function apply(
  products: Map<number, ProductStock>,
  lines: readonly StockLine[],
  change: (product: ProductStock, quantity: number) => ProductStock,
): void {
  for (const { productId, quantity } of lines) {
    const product = products.get(productId);
    if (product) products.set(productId, change(product, quantity));
  }
}

/** Holds `lines` for an order. */
export const reserve = (products: Map<number, ProductStock>, lines: readonly StockLine[]) =>
  apply(products, lines, (p, q) => ({ ...p, reserved: p.reserved + q }));

/** The held `lines` leave with a paid order: fewer on hand, fewer held; what can be bought stays. */
export const sell = (products: Map<number, ProductStock>, lines: readonly StockLine[]) =>
  apply(products, lines, (p, q) => ({ ...p, stock: p.stock - q, reserved: p.reserved - q }));

/** The sold `lines` are back on hand (their order was cancelled after it was paid). */
export const restock = (products: Map<number, ProductStock>, lines: readonly StockLine[]) =>
  apply(products, lines, (p, q) => ({ ...p, stock: p.stock + q }));

/** The held `lines` can be bought again. */
export const release = (products: Map<number, ProductStock>, lines: readonly StockLine[]) =>
  apply(products, lines, (p, q) => ({ ...p, reserved: p.reserved - q }));

import type { EventOf } from '@shop/shared';

/** One line of a paid order as the stock change needs it (names and prices stay with the order). */
export interface StockLine {
  productId: number;
  quantity: number;
}

/** The events that move stock: an order's lines, and its payment. */
export const STOCK_EVENTS = ['order.created', 'payment.succeeded'] as const;
export type StockEvent = EventOf<(typeof STOCK_EVENTS)[number]>;

/** What a batch of stock events records: each order's lines (its first order.created wins) and which orders are paid. */
export interface StockChanges {
  lines: Map<number, StockLine[]>;
  paid: Set<number>;
}

/** Sorts a batch of stock events by order, one entry per order, so one upsert never touches a row twice. */
export function stockChanges(events: readonly StockEvent[]): StockChanges {
  const lines = new Map<number, StockLine[]>();
  const paid = new Set<number>();
  for (const event of events) {
    const { orderId } = event.data;
    if (event.type === 'payment.succeeded') paid.add(orderId);
    else if (!lines.has(orderId)) lines.set(orderId, mergeLines(event.data.items));
  }
  return { lines, paid };
}

/** Only what the stock needs, one line per product (a product named twice counts twice). */
export function mergeLines(items: readonly StockLine[]): StockLine[] {
  const quantities = new Map<number, number>();
  for (const { productId, quantity } of items)
    quantities.set(productId, (quantities.get(productId) ?? 0) + quantity);
  return [...quantities].map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * The stock left after a paid order took `quantity`, clamped at 0: the order is paid already, so
 * selling more than was there is a business event to report (`oversoldBy`), not a refusal.
 */
export function stockAfterSale(stock: number, quantity: number): { stock: number; oversoldBy: number } {
  return { stock: Math.max(0, stock - quantity), oversoldBy: Math.max(0, quantity - stock) };
}

import { LockMode } from '@mikro-orm/core';
import type { EventHandler, ServiceEntityManager } from '@shop/shared';
import type { Logger } from 'pino';
import { Product, type StockLine } from '../db/entities.ts';
import { invalidateOnCommit, type Invalidate } from './catalog-state.ts';

/** Queue (and inbox key) of the consumer that takes paid orders out of stock. */
export const ORDERS_CONSUMER = 'catalog.orders';

export const STOCK_EVENTS = ['order.created', 'payment.succeeded'] as const;

export interface StockDeps {
  invalidate: Invalidate;
  logger: Logger;
}

interface StockOrderRow {
  lines: StockLine[] | null;
  paid_at: Date | null;
  applied_at: Date | null;
}

// Both upserts lock the order's row until commit, so an order.created and a payment.succeeded of
// one order handled at once are serialized: whichever commits second sees both halves.
const RECORD_LINES = `insert into stock_orders (order_id, lines) values (?, ?::jsonb)
  on conflict (order_id) do update set lines = coalesce(stock_orders.lines, excluded.lines)
  returning lines, paid_at, applied_at`;
const RECORD_PAYMENT = `insert into stock_orders (order_id, paid_at) values (?, now())
  on conflict (order_id) do update set paid_at = coalesce(stock_orders.paid_at, excluded.paid_at)
  returning lines, paid_at, applied_at`;

/**
 * Handles `order.created` and `payment.succeeded` in the consumer's inbox transaction. A paid
 * order's quantities leave stock exactly once: when the second of its two events arrives
 * (payment.succeeded may overtake order.created, e.g. while order.created waits in a retry
 * queue; it is recorded, not retried, so no retry budget runs out on it). The inbox drops
 * redeliveries; `applied_at` also stops a second payment event under a new id.
 */
export function stockHandler(deps: StockDeps): EventHandler<(typeof STOCK_EVENTS)[number]> {
  return async (em, event) => {
    const { orderId } = event.data;
    const [row] =
      event.type === 'order.created'
        ? await em.execute<StockOrderRow[]>(RECORD_LINES, [
            orderId,
            JSON.stringify(linesOf(event.data.items)),
          ])
        : await em.execute<StockOrderRow[]>(RECORD_PAYMENT, [orderId]);
    if (!row?.lines || !row.paid_at || row.applied_at) return;
    await em.execute('update stock_orders set applied_at = now() where order_id = ?', [orderId], 'run');
    await takeStock(em, orderId, row.lines, deps);
  };
}

/** Only what the stock needs, one line per product (a product named twice counts twice). */
function linesOf(items: readonly StockLine[]): StockLine[] {
  const quantities = new Map<number, number>();
  for (const { productId, quantity } of items)
    quantities.set(productId, (quantities.get(productId) ?? 0) + quantity);
  return [...quantities].map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * Takes the lines out of stock, clamped at 0: the order is paid already, so selling more than
 * was there is a business event to log, not a reason to refuse the message. A deleted product
 * still loses its stock (it may be restored); one that is gone entirely is logged and skipped.
 */
async function takeStock(em: ServiceEntityManager, orderId: number, lines: StockLine[], deps: StockDeps) {
  const ids = lines.map((line) => line.productId);
  // Locked in id order: two orders of the same products never deadlock.
  const products = await em.find(
    Product,
    { id: { $in: ids } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
  );
  const byId = new Map(products.map((product) => [product.id, product]));
  for (const { productId, quantity } of lines) {
    const product = byId.get(productId);
    if (!product) {
      deps.logger.warn(
        { orderId, productId, quantity },
        'paid order names an unknown product; its stock is not taken',
      );
      continue;
    }
    if (product.stock < quantity) {
      deps.logger.warn(
        { orderId, productId, quantity, stock: product.stock, oversoldBy: quantity - product.stock },
        'product oversold; stock clamped at 0',
      );
    }
    product.stock = Math.max(0, product.stock - quantity);
  }
  if (products.length > 0) await invalidateOnCommit(em, deps.invalidate);
  deps.logger.info({ orderId, lines }, 'stock taken for paid order');
}

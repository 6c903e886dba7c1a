import { LockMode } from '@mikro-orm/core';
import type { ServiceEntityManager } from '@shop/shared';
import type { Logger } from 'pino';
import { Product } from '../db/entities.ts';
import { stockAfterSale, type StockChanges, type StockLine } from '../domain/stock.ts';
import { invalidateOnCommit, type Invalidate } from './catalog-state.ts';

/** A paid order whose lines are known: its stock is to be taken. */
export interface PaidOrder {
  orderId: number;
  lines: StockLine[];
}

interface StockOrderRow {
  order_id: number;
  lines: StockLine[] | null;
  paid_at: Date | null;
  applied_at: Date | null;
}

// Both upserts lock their orders' rows until commit, so an order.created and a payment.succeeded
// of one order handled at once are serialized: whichever commits second sees both halves. Rows
// are taken in order_id order, so two batches never wait for each other in a circle.
const RECORD_LINES = `insert into stock_orders (order_id, lines)
  select order_id, lines from json_to_recordset(?::json) as input(order_id int, lines jsonb)
  order by order_id
  on conflict (order_id) do update set lines = coalesce(stock_orders.lines, excluded.lines)
  returning order_id, lines, paid_at, applied_at`;
const RECORD_PAYMENTS = `insert into stock_orders (order_id, paid_at)
  select order_id, now() from json_to_recordset(?::json) as input(order_id int)
  order by order_id
  on conflict (order_id) do update set paid_at = coalesce(stock_orders.paid_at, excluded.paid_at)
  returning order_id, lines, paid_at, applied_at`;

/**
 * Records orders' lines and payments in `stock_orders` and returns the orders that have both
 * halves now and whose stock was not taken yet, marking them applied (`applied_at` also stops a
 * second payment event under a new id).
 */
export async function recordStockChanges(
  em: ServiceEntityManager,
  { lines, paid }: StockChanges,
): Promise<PaidOrder[]> {
  // Payments second: their rows then show the lines recorded just before.
  const rows = new Map<number, StockOrderRow>();
  const record = async (sql: string, input: object[]) => {
    if (input.length === 0) return;
    for (const row of await em.execute<StockOrderRow[]>(sql, [JSON.stringify(input)]))
      rows.set(row.order_id, row);
  };
  await record(
    RECORD_LINES,
    [...lines].map(([orderId, orderLines]) => ({ order_id: orderId, lines: orderLines })),
  );
  await record(
    RECORD_PAYMENTS,
    [...paid].map((orderId) => ({ order_id: orderId })),
  );

  const complete: PaidOrder[] = [];
  for (const [orderId, row] of rows)
    if (row.lines && row.paid_at && !row.applied_at) complete.push({ orderId, lines: row.lines });
  if (complete.length > 0) {
    await em.execute(
      'update stock_orders set applied_at = now() where order_id in (?)',
      [complete.map((order) => order.orderId)],
      'run',
    );
  }
  return complete;
}

/**
 * Takes the orders' lines out of stock (see `stockAfterSale`). A deleted product still loses its
 * stock (it may be restored); one that is gone entirely is logged and skipped.
 */
export async function takeStock(
  em: ServiceEntityManager,
  orders: readonly PaidOrder[],
  deps: { invalidate: Invalidate; logger: Logger },
): Promise<void> {
  const ids = [...new Set(orders.flatMap((order) => order.lines.map((line) => line.productId)))];
  // Locked in id order: two orders of the same products never deadlock.
  const products = await em.find(
    Product,
    { id: { $in: ids } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
  );
  const byId = new Map(products.map((product) => [product.id, product]));
  for (const { orderId, lines } of orders) {
    for (const { productId, quantity } of lines) {
      const product = byId.get(productId);
      if (!product) {
        deps.logger.warn(
          { orderId, productId, quantity },
          'paid order names an unknown product; its stock is not taken',
        );
        continue;
      }
      const after = stockAfterSale(product.stock, quantity);
      if (after.oversoldBy > 0) {
        deps.logger.warn(
          { orderId, productId, quantity, stock: product.stock, oversoldBy: after.oversoldBy },
          'product oversold; stock clamped at 0',
        );
      }
      product.stock = after.stock;
    }
    deps.logger.info({ orderId, lines }, 'stock taken for paid order');
  }
  if (products.length > 0) await invalidateOnCommit(em, deps.invalidate);
}

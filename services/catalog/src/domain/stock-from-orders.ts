import { LockMode } from '@mikro-orm/core';
import type { EventHandler, EventOf, ServiceEntityManager } from '@shop/shared';
import type { Logger } from 'pino';
import { Product, type StockLine } from '../db/entities.ts';
import { invalidateOnCommit, type Invalidate } from './catalog-state.ts';

export const STOCK_EVENTS = ['order.created', 'payment.succeeded'] as const;

export interface StockDeps {
  invalidate: Invalidate;
  logger: Logger;
}

interface StockOrderRow {
  order_id: number;
  lines: StockLine[] | null;
  paid_at: Date | null;
  applied_at: Date | null;
}

/** A paid order whose lines are known: its stock is to be taken. */
interface PaidOrder {
  orderId: number;
  lines: StockLine[];
}

type StockEvent = EventOf<(typeof STOCK_EVENTS)[number]>;

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
 * Applies `order.created` and `payment.succeeded` events in the consumer's inbox transaction,
 * any number at once. A paid order's quantities leave stock exactly once: when the second of its
 * two events arrives (payment.succeeded may overtake order.created, e.g. while order.created
 * waits in a retry queue; it is recorded, not retried, so no retry budget runs out on it). The
 * inbox drops redeliveries; `applied_at` also stops a second payment event under a new id.
 */
export function applyStockEvents(deps: StockDeps) {
  return async (em: ServiceEntityManager, events: readonly StockEvent[]): Promise<void> => {
    // One row per order and statement: an upsert may not touch a row twice.
    const created = new Map<number, StockLine[]>();
    const paid = new Set<number>();
    for (const event of events) {
      const { orderId } = event.data;
      if (event.type === 'payment.succeeded') paid.add(orderId);
      else if (!created.has(orderId)) created.set(orderId, linesOf(event.data.items));
    }
    // Payments second: their rows then show the lines recorded just before.
    const rows = new Map<number, StockOrderRow>();
    const record = async (sql: string, input: object[]) => {
      if (input.length === 0) return;
      for (const row of await em.execute<StockOrderRow[]>(sql, [JSON.stringify(input)]))
        rows.set(row.order_id, row);
    };
    await record(
      RECORD_LINES,
      [...created].map(([orderId, lines]) => ({ order_id: orderId, lines })),
    );
    await record(
      RECORD_PAYMENTS,
      [...paid].map((orderId) => ({ order_id: orderId })),
    );

    const complete: PaidOrder[] = [];
    for (const [orderId, row] of rows)
      if (row.lines && row.paid_at && !row.applied_at) complete.push({ orderId, lines: row.lines });
    if (complete.length === 0) return;
    await em.execute(
      'update stock_orders set applied_at = now() where order_id in (?)',
      [complete.map((order) => order.orderId)],
      'run',
    );
    await takeStock(em, complete, deps);
  };
}

/** `applyStockEvents` for one event: the consumer's handler for a message on its own. */
export function stockHandler(deps: StockDeps): EventHandler<(typeof STOCK_EVENTS)[number]> {
  const apply = applyStockEvents(deps);
  return (em, event) => apply(em, [event]);
}

/** Only what the stock needs, one line per product (a product named twice counts twice). */
function linesOf(items: readonly StockLine[]): StockLine[] {
  const quantities = new Map<number, number>();
  for (const { productId, quantity } of items)
    quantities.set(productId, (quantities.get(productId) ?? 0) + quantity);
  return [...quantities].map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * Takes the orders' lines out of stock, clamped at 0: the orders are paid already, so selling
 * more than was there is a business event to log, not a reason to refuse the message. A deleted
 * product still loses its stock (it may be restored); one that is gone entirely is logged and
 * skipped.
 */
async function takeStock(em: ServiceEntityManager, orders: readonly PaidOrder[], deps: StockDeps) {
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
      if (product.stock < quantity) {
        deps.logger.warn(
          { orderId, productId, quantity, stock: product.stock, oversoldBy: quantity - product.stock },
          'product oversold; stock clamped at 0',
        );
      }
      product.stock = Math.max(0, product.stock - quantity);
    }
    deps.logger.info({ orderId, lines }, 'stock taken for paid order');
  }
  if (products.length > 0) await invalidateOnCommit(em, deps.invalidate);
}

import {
  addToOutbox,
  startConsumer,
  type Broker,
  type EventHandler,
  type Orm,
  type ServiceEntityManager,
  type ServiceKit,
} from '@shop/shared';
import type { Logger } from 'pino';
import { lowStockCrossings } from '../domain/low-stock.ts';
import { STOCK_EVENTS, type StockEvent } from '../domain/stock.ts';
import { planStock, type StockNote } from '../domain/stock-plan.ts';
import { invalidateOnCommit, type Invalidate } from '../store/catalog-state.ts';
import { lowStockAnnouncements } from '../store/low-stock.ts';
import { lockOrders, lockProducts, readReservations, savePlan } from '../store/reservations.ts';

export interface StockDeps {
  invalidate: Invalidate;
  logger: Logger;
  /** LOW_STOCK_THRESHOLD: a product falling to it (or to 0) is announced with `stock.low`. */
  lowStockThreshold: number;
}

/** Stock events applied per transaction when they queue up (see createConsumer). */
const STOCK_BATCH_SIZE = 32;

const logNote = (logger: Logger, { orderId, eventId, step, shortages }: StockNote) => {
  switch (step) {
    case 'reserve':
      if (shortages) logger.info({ orderId, shortages }, 'stock short; order rejected');
      else logger.info({ orderId }, 'stock reserved');
      return;
    case 'sell':
      logger.info({ orderId }, 'reserved stock sold');
      return;
    case 'release':
      logger.info({ orderId }, 'reserved stock released');
      return;
    case 'restock':
      logger.info({ orderId }, 'sold stock back on hand: the paid order was cancelled');
      return;
    case 'tombstone':
      logger.info({ orderId }, 'order cancelled before it arrived; it will reserve nothing');
      return;
    case 'keep-cancelled':
      logger.info({ orderId }, 'order arrived after its cancellation; nothing reserved');
      return;
    case 'no-reservation':
      logger.warn({ orderId, eventId }, 'paid order holds no reservation; stock unchanged');
      return;
    case 'duplicate':
      logger.debug({ orderId, eventId }, 'stock event changes nothing');
      return;
  }
};

/**
 * Applies stock events in the consumer's inbox transaction, any number at once: the orders'
 * locks, their reservations, the products they name (locked in id order), then `planStock`, its
 * writes and its `stock.reserved` / `stock.rejected` announcements through the outbox, all in
 * that one transaction, with a `stock.low` for each product the batch took down to the low-stock
 * line or to 0 (`lowStockCrossings`). When what can be bought changed, every replica's cache hears of it after
 * commit. The inbox drops redeliveries; the reservation's state drops copies under new ids.
 */
export function applyStockEvents(deps: StockDeps) {
  return async (em: ServiceEntityManager, events: readonly StockEvent[]): Promise<void> => {
    const orderIds = [...new Set(events.map((event) => event.data.orderId))];
    await lockOrders(em, orderIds);
    const reservations = await readReservations(em, orderIds);
    const productIds = new Set<number>();
    for (const event of events)
      if (event.type === 'order.created') for (const item of event.data.items) productIds.add(item.productId);
    for (const { lines } of reservations.values())
      for (const line of lines ?? []) productIds.add(line.productId);
    const products = await lockProducts(em, [...productIds]);

    const plan = planStock(events, reservations, products);
    await savePlan(em, plan);
    const lowStock = lowStockCrossings(products, plan.products, deps.lowStockThreshold);
    await addToOutbox(
      em,
      ...plan.announcements,
      ...(await lowStockAnnouncements(em, lowStock, deps.lowStockThreshold)),
    );
    if (plan.shownStockChanged) await invalidateOnCommit(em, deps.invalidate);
    for (const note of plan.notes) logNote(deps.logger, note);
  };
}

/** `applyStockEvents` for one event: the consumer's handler for a message on its own. */
export function stockHandler(deps: StockDeps): EventHandler<(typeof STOCK_EVENTS)[number]> {
  const apply = applyStockEvents(deps);
  return (em, event) => apply(em, [event]);
}

/**
 * Starts the consumer (queue `<queuePrefix>.orders`) that reserves, sells and releases orders'
 * stock. Orders wait for its answer, so a batch takes only what has queued already: it never
 * waits for more.
 */
export function startStockConsumer(
  kit: ServiceKit,
  {
    orm,
    broker,
    invalidate,
    lowStockThreshold,
  }: { orm: Orm; broker: Broker; invalidate: Invalidate; lowStockThreshold: number },
) {
  const deps = { invalidate, lowStockThreshold, logger: kit.logger.child({ component: 'stock' }) };
  return startConsumer(kit, {
    orm,
    broker,
    queue: 'orders',
    routingKeys: STOCK_EVENTS,
    // Stock used to be taken on payment.
    retiredRoutingKeys: ['payment.succeeded'],
    handler: stockHandler(deps),
    batchHandler: applyStockEvents(deps),
    batchSize: STOCK_BATCH_SIZE,
  });
}

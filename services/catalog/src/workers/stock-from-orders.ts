import type { Broker, EventHandler, Orm, ServiceEntityManager, ServiceKit } from '@shop/shared';
import { startConsumer } from '@shop/shared';
import type { Logger } from 'pino';
import { STOCK_EVENTS, stockChanges, type StockEvent } from '../domain/stock.ts';
import type { Invalidate } from '../store/catalog-state.ts';
import { recordStockChanges, takeStock } from '../store/stock-orders.ts';

export interface StockDeps {
  invalidate: Invalidate;
  logger: Logger;
}

/** Stock events applied per transaction when they queue up (see createConsumer). */
const STOCK_BATCH_SIZE = 32;
/**
 * How long a stock batch waits for more events. No one waits on a stock count, and every order
 * sends two events here: a transaction each would cost the catalog and its database more than
 * the lookups the orders make (docs/decisions/batched-consumers.md).
 */
const STOCK_GATHER_MS = 50;

/**
 * Applies `order.created` and `payment.succeeded` events in the consumer's inbox transaction,
 * any number at once. A paid order's quantities leave stock exactly once: when the second of its
 * two events arrives (payment.succeeded may overtake order.created, e.g. while order.created
 * waits in a retry queue; it is recorded, not retried, so no retry budget runs out on it). The
 * inbox drops redeliveries; `applied_at` also stops a second payment event under a new id.
 */
export function applyStockEvents(deps: StockDeps) {
  return async (em: ServiceEntityManager, events: readonly StockEvent[]): Promise<void> => {
    const complete = await recordStockChanges(em, stockChanges(events));
    if (complete.length > 0) await takeStock(em, complete, deps);
  };
}

/** `applyStockEvents` for one event: the consumer's handler for a message on its own. */
export function stockHandler(deps: StockDeps): EventHandler<(typeof STOCK_EVENTS)[number]> {
  const apply = applyStockEvents(deps);
  return (em, event) => apply(em, [event]);
}

/** Starts the consumer (queue `<queuePrefix>.orders`) that takes paid orders out of stock. */
export function startStockConsumer(
  kit: ServiceKit,
  { orm, broker, invalidate }: { orm: Orm; broker: Broker; invalidate: Invalidate },
) {
  const deps = { invalidate, logger: kit.logger.child({ component: 'stock' }) };
  return startConsumer(kit, {
    orm,
    broker,
    queue: 'orders',
    routingKeys: STOCK_EVENTS,
    handler: stockHandler(deps),
    batchHandler: applyStockEvents(deps),
    batchSize: STOCK_BATCH_SIZE,
    gatherMs: STOCK_GATHER_MS,
  });
}

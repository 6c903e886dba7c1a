import {
  startConsumer,
  type BatchEventHandler,
  type Broker,
  type EventHandler,
  type EventOf,
  type Orm,
  type ServiceKit,
} from '@shop/shared';
import type { Logger } from 'pino';
import type { OrderTrigger } from '../domain/order-status.ts';
import { moveOrders, type MoveResult } from '../store/order-status.ts';

/** The events that move orders: the catalog's answer to a new order, and payment outcomes. */
const STOCK_EVENTS = ['stock.reserved', 'stock.rejected'] as const;
const PAYMENT_EVENTS = ['payment.succeeded', 'payment.failed'] as const;
type OrderEventType = (typeof STOCK_EVENTS)[number] | (typeof PAYMENT_EVENTS)[number];

export interface OrderEventDeps {
  logger: Logger;
  /** How long the catalog holds a reservation for payment. */
  reservationMs: number;
}

const triggerOf = (event: EventOf<OrderEventType>): OrderTrigger =>
  event.type === 'stock.rejected'
    ? { type: event.type, shortages: event.data.shortages }
    : { type: event.type };

function logResult(logger: Logger, event: EventOf<OrderEventType>, result: MoveResult | undefined) {
  const { orderId } = event.data;
  const fields = { eventId: event.id, type: event.type, orderId };
  if (result?.outcome === 'moved') logger.info({ orderId, status: result.change.to }, 'order status changed');
  else if (result?.outcome !== 'unchanged') logger.warn(fields, 'event names no order of its user; ignored');
  else if (event.type === 'payment.succeeded' && result.status === 'cancelled')
    logger.warn(fields, 'payment succeeded for a cancelled order; the payment service refunds it');
  else logger.debug({ ...fields, status: result.status }, 'event does not apply to the order; ignored');
}

/**
 * Moves the events' orders (see `moveOrders`) in the consumer's inbox transaction, in delivery
 * order, all in a few statements. An event that does not apply (a duplicate, a late or overtaken
 * one, one for an order this service does not have or for another buyer's) changes nothing and
 * is not an error: retrying it could never succeed, so it is logged and acked. A payment that
 * succeeded for an order cancelled meanwhile is one of those: the payment service refunds it when
 * it hears of the cancellation.
 */
export function orderEventsHandler({
  logger,
  reservationMs,
}: OrderEventDeps): BatchEventHandler<OrderEventType> {
  return async (em, events) => {
    const moves = events.map((event) => ({
      orderId: event.data.orderId,
      trigger: triggerOf(event),
      userId: event.data.userId,
      correlationId: event.correlationId,
    }));
    const results = await moveOrders(em, moves, { reservationMs });
    events.forEach((event, index) => logResult(logger, event, results[index]));
  };
}

/** `orderEventsHandler` for one event. */
export function orderEventHandler(deps: OrderEventDeps): EventHandler<OrderEventType> {
  const apply = orderEventsHandler(deps);
  return (em, event) => apply(em, [event]);
}

/**
 * Starts the consumers that move orders: the catalog's reservations (`<queuePrefix>.stock`) and
 * payment outcomes (`<queuePrefix>.payments`). Both stand on an order's way to its buyer, so a
 * batch takes only what has queued already and never waits for more.
 */
export async function startOrderEventConsumers(
  kit: ServiceKit,
  { orm, broker, reservationMs }: { orm: Orm; broker: Broker; reservationMs: number },
) {
  const handler = orderEventHandler({
    logger: kit.logger.child({ component: 'order-events' }),
    reservationMs,
  });
  // Events waiting together (every order brings two) share a transaction and its commit.
  const batchSize = 16;
  return [
    await startConsumer(kit, { orm, broker, queue: 'stock', routingKeys: STOCK_EVENTS, handler, batchSize }),
    await startConsumer(kit, {
      orm,
      broker,
      queue: 'payments',
      routingKeys: PAYMENT_EVENTS,
      handler,
      batchSize,
    }),
  ];
}

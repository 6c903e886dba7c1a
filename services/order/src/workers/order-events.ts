import {
  startConsumer,
  type Broker,
  type EventHandler,
  type EventOf,
  type Orm,
  type ServiceKit,
} from '@shop/shared';
import type { Logger } from 'pino';
import type { OrderTrigger } from '../domain/order-status.ts';
import { moveOrder } from '../store/order-status.ts';

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

/**
 * Moves the event's order (see `moveOrder`) in the consumer's inbox transaction. An event that
 * does not apply (a duplicate, a late or overtaken one, one for an order this service does not
 * have or for another buyer's) changes nothing and is not an error: retrying it could never
 * succeed, so it is logged and acked. A payment that succeeded for an order cancelled meanwhile
 * is one of those: the payment service refunds it when it hears of the cancellation.
 */
export function orderEventHandler({ logger, reservationMs }: OrderEventDeps): EventHandler<OrderEventType> {
  return async (em, event) => {
    const { orderId, userId } = event.data;
    const result = await moveOrder(em, orderId, triggerOf(event), {
      userId,
      reservationMs,
      correlationId: event.correlationId,
    });
    const fields = { eventId: event.id, type: event.type, orderId };
    if (result.outcome === 'moved')
      logger.info({ orderId, status: result.change.to }, 'order status changed');
    else if (result.outcome === 'not_found') logger.warn(fields, 'event names no order of its user; ignored');
    else if (event.type === 'payment.succeeded' && result.status === 'cancelled')
      logger.warn(fields, 'payment succeeded for a cancelled order; the payment service refunds it');
    else logger.debug({ ...fields, status: result.status }, 'event does not apply to the order; ignored');
  };
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

import {
  addToOutbox,
  startConsumer,
  type Broker,
  type EventHandler,
  type Orm,
  type ServiceKit,
} from '@shop/shared';
import type { Logger } from 'pino';
import { outcomeEvent, paymentOf } from '../domain/charge.ts';
import type { PaymentProvider } from '../provider/provider.ts';
import { hasPayment, insertPayment, isCancelled, lockOrderCharge } from '../store/charges.ts';
import { refundCancelledHandler } from './refund-cancelled.ts';

export interface ChargeOrderDeps {
  provider: PaymentProvider;
  logger: Logger;
}

/**
 * Charges an order once the catalog reserved its stock, and announces the outcome. Runs inside
 * the consumer's inbox transaction, so the payment row, its outbox event and the inbox entry
 * commit together (or not at all, when the provider throws and the message is retried).
 *
 * The inbox stops redeliveries of one message; two different messages for one order (a
 * republished event, a second consumer queue) are stopped here: the order's charge lock keeps
 * the provider from being asked twice at once, an existing payment makes the event a no-op, and
 * the unique index on `order_id` is the last word should anything get past both. An order
 * cancelled before its charge (the cancellation overtook the reservation) is never charged.
 */
export function chargeOrderHandler({ provider, logger }: ChargeOrderDeps): EventHandler<'stock.reserved'> {
  return async (em, event) => {
    const order = event.data;
    const log = logger.child({
      eventId: event.id,
      orderId: order.orderId,
      correlationId: event.correlationId,
    });
    await lockOrderCharge(em, order.orderId);
    if (await isCancelled(em, order.orderId)) {
      log.info('order was cancelled before its charge; not charged');
      return;
    }
    if (await hasPayment(em, order.orderId)) {
      log.info('order already has a payment; event ignored');
      return;
    }

    // Inside the transaction on purpose: the lock above must cover the call to the provider.
    const outcome = await provider.charge({
      orderId: order.orderId,
      amountCents: order.totalCents,
      currency: order.currency,
    });
    const payment = paymentOf(order, outcome, provider.method, {
      id: crypto.randomUUID(),
      createdAt: new Date(),
    });
    if (!(await insertPayment(em, payment))) {
      log.warn("another consumer recorded this order's payment first; event ignored");
      return;
    }
    await addToOutbox(em, outcomeEvent(payment, order.items, event.correlationId));
    log.info({ paymentId: payment.id, status: outcome.status }, 'order charged');
  };
}

export interface ChargeConsumerOptions {
  orm: Orm;
  broker: Broker;
  provider: PaymentProvider;
  /** The PostgreSQL pool's size: each message holds a connection while the provider answers. */
  poolSize: number;
}

/**
 * Starts the consumer (queue `<queuePrefix>.orders`) that charges each reserved order and
 * refunds a cancelled one that was charged; both take the order's charge lock, so whichever of
 * the two comes second sees what the first did.
 */
export function startChargeConsumer(
  kit: ServiceKit,
  { orm, broker, provider, poolSize }: ChargeConsumerOptions,
) {
  const deps = { provider, logger: kit.logger.child({ component: 'charge-order' }) };
  const charge = chargeOrderHandler(deps);
  const refund = refundCancelledHandler(deps);
  const handler: EventHandler<'stock.reserved' | 'order.cancelled'> = (em, event) =>
    event.type === 'stock.reserved' ? charge(em, event) : refund(em, event);
  return startConsumer(kit, {
    orm,
    broker,
    queue: 'orders',
    routingKeys: ['stock.reserved', 'order.cancelled'],
    // Orders used to be charged as soon as they were placed, before any stock was reserved.
    retiredRoutingKeys: ['order.created'],
    handler,
    // Stay below the pool's size so the relay and HTTP reads still get a connection.
    prefetch: Math.max(1, poolSize - 2),
  });
}

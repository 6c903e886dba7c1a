import { startConsumer, type Broker, type EventHandler, type Orm, type ServiceKit } from '@shop/shared';
import type { Logger } from 'pino';
import { paymentTransition, type PaymentOutcome } from '../domain/order-status.ts';
import { moveOrder } from '../store/order-status.ts';

/**
 * Moves an order as its payment outcome says (see `paymentTransition`). An outcome that does not
 * apply (a duplicate, a late or out-of-order one, or one for an order this service does not
 * have) changes nothing and is not an error: retrying it could never succeed, so it is logged at
 * debug and acked.
 */
export function paymentOutcomeHandler(logger: Logger): EventHandler<PaymentOutcome> {
  return async (em, event) => {
    const { orderId, userId } = event.data;
    const transition = paymentTransition(event.type);
    if (!(await moveOrder(em, { orderId, userId }, transition))) {
      logger.debug(
        { eventId: event.id, type: event.type, orderId },
        'payment outcome does not apply to the order, ignored',
      );
      return;
    }
    logger.info({ orderId, status: transition.to }, 'order status changed');
  };
}

/** Starts the consumer (queue `<queuePrefix>.payments`) that moves orders on their payment outcome. */
export function startPaymentOutcomeConsumer(kit: ServiceKit, { orm, broker }: { orm: Orm; broker: Broker }) {
  return startConsumer(kit, {
    orm,
    broker,
    queue: 'payments',
    routingKeys: ['payment.succeeded', 'payment.failed'],
    handler: paymentOutcomeHandler(kit.logger.child({ component: 'payment-outcomes' })),
    // Outcomes waiting together (every order brings one) share a transaction and its commit.
    batchSize: 16,
  });
}

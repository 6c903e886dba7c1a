import {
  addToOutbox,
  declineReasons,
  startConsumer,
  type Broker,
  type EventHandler,
  type Orm,
  type ServiceKit,
} from '@shop/shared';
import type { Logger } from 'pino';
import { outcomeEvent, paymentOf, type ChargeResult } from '../domain/charge.ts';
import { methodFor, type MethodSettings } from '../domain/method.ts';
import type { PaymentProvider } from '../provider/provider.ts';
import { hasPayment, insertPayment, isCancelled, lockOrderCharge } from '../store/charges.ts';
import { refundCancelledHandler } from './refund-cancelled.ts';
import { requestInvoice } from './request-invoice.ts';

export interface ChargeOrderDeps {
  provider: PaymentProvider;
  logger: Logger;
  /** What picks each order's method (`methodFor`). */
  methods: MethodSettings;
}

/** A production shop with no provider for the order's currency: it fails at once, nothing taken. */
const NO_METHOD: ChargeResult = { status: 'failed', reason: declineReasons.noPaymentMethod };

/**
 * Takes the payment of an order once the catalog reserved its stock, by the order's method
 * (`methodFor`): a Telegram invoice is requested (`requestInvoice`), the simulated provider is
 * charged, and an order no method can take fails (`no_payment_method`). Runs inside the
 * consumer's inbox transaction, so the payment or invoice row, its outbox event and the inbox
 * entry commit together (or not at all, when the provider throws and the message is retried).
 *
 * The inbox stops redeliveries of one message; two different messages for one order (a
 * republished event, a second consumer queue) are stopped here: the order's charge lock keeps
 * the provider from being asked twice at once, an existing payment (or invoice) makes the event a
 * no-op, and unique indexes are the last word should anything get past both. An order cancelled
 * before its charge (the cancellation overtook the reservation) is never charged nor invoiced.
 */
export function chargeOrderHandler({
  provider,
  logger,
  methods,
}: ChargeOrderDeps): EventHandler<'stock.reserved'> {
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
    const method = methodFor(order.currency, order.channel, methods);
    if (method === 'telegram' || method === 'stars') return requestInvoice(em, event, method, log);

    // Inside the transaction on purpose: the lock above must cover the call to the provider.
    const outcome =
      method === 'simulated'
        ? await provider.charge({
            orderId: order.orderId,
            amountCents: order.totalCents,
            currency: order.currency,
          })
        : NO_METHOD;
    // Without a method, listed under the one a production shop takes such a currency by.
    const payment = paymentOf(order, outcome, method ?? 'telegram', {
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
  methods: MethodSettings;
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
  { orm, broker, provider, methods, poolSize }: ChargeConsumerOptions,
) {
  const deps = { provider, methods, logger: kit.logger.child({ component: 'charge-order' }) };
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

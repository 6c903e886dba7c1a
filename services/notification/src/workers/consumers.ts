import { startConsumer, type Broker, type Consumer, type Orm, type ServiceKit } from '@shop/shared';
import {
  adminsHandler,
  orderCreatedBatchHandler,
  orderCreatedHandler,
  owedMessageBatchHandler,
  owedMessageHandler,
  stockLowHandler,
  userLinkedHandler,
} from './handlers.ts';
import type { Sender } from './sender.ts';

/**
 * Every order brings one summary and one outcome at least: under load, messages waiting together
 * share a transaction (and its commit) instead of taking one each.
 */
const BATCH_SIZE = 16;
/**
 * How long a batch of order summaries waits for more. An outcome that carries its order's items
 * makes its own summary, so only an outcome without them waits for one.
 */
const SUMMARY_GATHER_MS = 100;

/**
 * Starts the consumers: chat links (`<queuePrefix>.users`), order summaries (`.orders`), the
 * order's own changes (`.statuses`: paid, shipped, delivered, cancelled) and payment news
 * (`.payments`: an invoice to send, failed, refund under way, refunded), who is an admin
 * (`.admins`) and low stock (`.stock`). Each wakes `sender` once what it stored may be sent.
 */
export async function startEventConsumers(
  kit: ServiceKit,
  { orm, broker, sender }: { orm: Orm; broker: Broker; sender: Sender },
): Promise<Consumer[]> {
  const deps = { logger: kit.logger.child({ component: 'projections' }), wake: () => sender.wake() };
  return [
    await startConsumer(kit, {
      orm,
      broker,
      queue: 'users',
      routingKeys: ['user.telegram_linked'],
      handler: userLinkedHandler(deps),
    }),
    await startConsumer(kit, {
      orm,
      broker,
      queue: 'orders',
      routingKeys: ['order.created'],
      handler: orderCreatedHandler(deps),
      batchHandler: orderCreatedBatchHandler(deps),
      batchSize: BATCH_SIZE,
      gatherMs: SUMMARY_GATHER_MS,
    }),
    await startConsumer(kit, {
      orm,
      broker,
      queue: 'statuses',
      routingKeys: ['order.paid', 'order.shipped', 'order.delivered', 'order.cancelled'],
      handler: owedMessageHandler(deps),
      batchHandler: owedMessageBatchHandler(deps),
      batchSize: BATCH_SIZE,
    }),
    await startConsumer(kit, {
      orm,
      broker,
      queue: 'payments',
      routingKeys: ['payment.requested', 'payment.failed', 'payment.refund_pending', 'payment.refunded'],
      // "Paid" is the order's word now (order.paid): a payment may succeed for an order cancelled meanwhile.
      retiredRoutingKeys: ['payment.succeeded'],
      handler: owedMessageHandler(deps),
      batchHandler: owedMessageBatchHandler(deps),
      batchSize: BATCH_SIZE,
    }),
    await startConsumer(kit, {
      orm,
      broker,
      queue: 'admins',
      routingKeys: ['user.admin_grant_changed', 'admins.configured'],
      handler: adminsHandler(),
    }),
    await startConsumer(kit, {
      orm,
      broker,
      queue: 'stock',
      routingKeys: ['stock.low'],
      handler: stockLowHandler(deps),
    }),
  ];
}

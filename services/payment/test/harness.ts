import { randomInt } from 'node:crypto';
import { expect } from 'vitest';
import type { Logger } from 'pino';
import { createEvent, InboxMessage, type EventEnvelope, type EventOf, type OrderChannel } from '@shop/shared';
import {
  afterSentinel,
  eventually,
  openTestExchange,
  recordingLogger,
  testDatabaseName,
  testServerUrls,
  testServiceNames,
  testTrust,
  type Sentinel,
} from '@shop/testkit';
import { Payment } from '../src/db/entities.ts';
import { startPaymentForTest, type PaymentTestOptions, type StartedPayment } from './start.ts';

export const rabbitmqUrl = testServerUrls().RABBITMQ_URL;

type Outcome = EventEnvelope<'payment.succeeded'> | EventEnvelope<'payment.failed'>;
/** What the service publishes. */
export type PaymentEvent = EventOf<
  'payment.succeeded' | 'payment.failed' | 'payment.requested' | 'payment.refund_pending' | 'payment.refunded'
>;

export interface InstanceOptions {
  env?: Record<string, string>;
  provider?: PaymentTestOptions['provider'];
  telegramFetch?: PaymentTestOptions['telegramFetch'];
  logger?: Logger;
}

/**
 * One suite's world: its own database, event exchange and consumer queue (all named after the
 * run), a probe queue that records every payment.* event, and any number of real payment
 * services on them. Instances started from one rig act as replicas of one service.
 */
export async function createRig(suite: string, retryDelaysMs: readonly number[] = [100, 200]) {
  const rigSuite = `payment_${suite}`;
  // The database under the name a suite that opens it itself uses: `testDatabaseName('payment_<suite>')`.
  const names = { ...testServiceNames('payment', rigSuite), dbName: testDatabaseName(`payment_${suite}`) };
  const { issuer, user } = await testTrust({});
  const events = await openTestExchange(names.exchange);
  // Bound before any service runs, so outcome events are routable (they are published `mandatory`).
  const published = await events.probe(`${names.queuePrefix}.probe`, 'payment.*');

  const instances: StartedPayment[] = [];

  const start = async ({ env = {}, provider, telegramFetch, logger }: InstanceOptions = {}) => {
    const payment = await startPaymentForTest({
      suite: rigSuite,
      names,
      env,
      logger,
      issuer,
      provider,
      telegramFetch,
      retryDelaysMs,
    });
    instances.push(payment);
    return payment;
  };

  /** Outcome events published for `orderId` so far, with their AMQP properties. */
  const outcomesFor = (orderId: number) =>
    published
      .map((message) => ({ message, event: JSON.parse(message.content.toString()) as Outcome }))
      .filter(({ event }) => event.data.orderId === orderId);

  /** Every payment.* event published for `orderId` so far, oldest first. */
  const eventsFor = (orderId: number) =>
    published
      .map((message) => JSON.parse(message.content.toString()) as PaymentEvent)
      .filter((event) => event.data.orderId === orderId);

  /** Every payment.* event published for the payment so far, oldest first (also one with no order). */
  const eventsOfPayment = (paymentId: string) =>
    published
      .map((message) => JSON.parse(message.content.toString()) as PaymentEvent)
      .filter((event) => 'paymentId' in event.data && event.data.paymentId === paymentId);

  const paymentsFor = async (orderId: number) => {
    const [first] = instances;
    if (!first) throw new Error('start an instance first');
    return first.orm.em.fork().find(Payment, { orderId });
  };

  const close = async () => {
    const started = instances.splice(0);
    for (const instance of started) await instance.stop();
    await events.close(started.flatMap((one) => one.topology.consumers));
  };

  /**
   * An order of its own behind what the test published, through the consumer, the outbox and
   * the relay; handled once its outcome is out (see `afterSentinel`).
   */
  const sentinel = (): Sentinel => {
    const order = stockReserved();
    return {
      send: () => events.publish(order),
      handled: () => {
        if (outcomesFor(order.data.orderId).length === 0) throw new Error('no outcome for the sentinel yet');
      },
    };
  };

  const { channel, publish } = events;
  return {
    names,
    channel,
    start,
    publish,
    sentinel,
    outcomesFor,
    eventsFor,
    eventsOfPayment,
    paymentsFor,
    user,
    close,
  };
}

export type Rig = Awaited<ReturnType<typeof createRig>>;

interface OrderOptions {
  totalCents?: number;
  userId?: string;
  orderId?: number;
  currency?: string;
  channel?: OrderChannel;
}

/** The catalog's stock.reserved for a fresh order number (random, so suites never collide). */
export function stockReserved({
  totalCents = 900,
  userId,
  orderId = randomInt(1, 2 ** 40),
  currency = 'EUR',
  channel,
}: OrderOptions = {}) {
  return createEvent('stock.reserved', {
    orderId,
    userId: userId ?? crypto.randomUUID(),
    items: [{ productId: 1, name: 'Tea', unitPriceCents: totalCents, quantity: 1 }],
    totalCents,
    currency,
    ...(channel ? { channel } : {}),
  });
}

export { afterSentinel, eventually, recordingLogger };

/** Waits until `payment`'s orders consumer has handled `event` (its inbox holds the message). */
export async function handledBy(rig: Rig, payment: StartedPayment, event: EventEnvelope): Promise<void> {
  await eventually(async () =>
    expect(
      await payment.orm.em
        .fork()
        .count(InboxMessage, { consumer: `${rig.names.queuePrefix}.orders`, messageId: event.id }),
    ).toBe(1),
  );
}

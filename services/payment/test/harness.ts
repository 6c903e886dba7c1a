import { randomInt } from 'node:crypto';
import { connect, type ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import {
  baseConfigSchema,
  createEvent,
  loadConfig,
  type ConsumerTopology,
  type EventEnvelope,
} from '@shop/shared';
import {
  afterSentinel,
  createTestTokenIssuer,
  deleteTestTopology,
  testDatabaseName,
  testEventNames,
  testLogger,
  eventually,
  recordingLogger,
  type Sentinel,
} from '@shop/testkit';
import { paymentConfigSchema } from '../src/config.ts';
import { Payment } from '../src/db/entities.ts';
import { buildPayment, type PaymentWiringOptions } from '../src/wiring.ts';

export const rabbitmqUrl = loadConfig(baseConfigSchema.pick({ RABBITMQ_URL: true })).RABBITMQ_URL;

type Outcome = EventEnvelope<'payment.succeeded'> | EventEnvelope<'payment.failed'>;

export interface InstanceOptions {
  env?: Record<string, string>;
  provider?: PaymentWiringOptions['provider'];
  logger?: Logger;
}

/**
 * One suite's world: its own database, event exchange and consumer queue (all named after the
 * run), a probe queue that records every payment.* event, and any number of real payment
 * services on them. Instances started from one rig act as replicas of one service.
 */
export async function createRig(suite: string, retryDelaysMs: readonly number[] = [100, 200]) {
  const names = { dbName: testDatabaseName(`payment_${suite}`), ...testEventNames(`payment-${suite}`) };
  const issuer = await createTestTokenIssuer();
  const admin = await connect(rabbitmqUrl);
  const channel = await admin.createConfirmChannel();
  await channel.assertExchange(names.exchange, 'topic', { durable: true });
  // Bound before any service runs, so outcome events are routable (they are published `mandatory`).
  const probe = `${names.queuePrefix}.probe`;
  await channel.assertQueue(probe, { durable: false });
  await channel.bindQueue(probe, names.exchange, 'payment.*');
  const published: ConsumeMessage[] = [];
  await channel.consume(probe, (message) => message && published.push(message), { noAck: true });

  const instances: Awaited<ReturnType<typeof buildPayment>>[] = [];
  const topologies = new Map<string, ConsumerTopology>();

  const start = async ({ env = {}, provider, logger = testLogger() }: InstanceOptions = {}) => {
    const config = loadConfig(paymentConfigSchema, { ...process.env, ...env });
    const payment = await buildPayment(config, logger, {
      ...names,
      keys: issuer.getKey,
      retryDelaysMs,
      provider,
    });
    instances.push(payment);
    topologies.set(payment.consumer.topology.queue, payment.consumer.topology);
    await payment.broker.waitForConnect();
    return payment;
  };

  /** Publishes like the catalog's and the order service's relays do: persistent, messageId = event id, confirmed. */
  const publish = async (event: EventEnvelope) => {
    const body = Buffer.from(JSON.stringify(event));
    channel.publish(names.exchange, event.type, body, {
      persistent: true,
      messageId: event.id,
      contentType: 'application/json',
    });
    await channel.waitForConfirms();
  };

  /** Outcome events published for `orderId` so far, with their AMQP properties. */
  const outcomesFor = (orderId: number) =>
    published
      .map((message) => ({ message, event: JSON.parse(message.content.toString()) as Outcome }))
      .filter(({ event }) => event.data.orderId === orderId);

  const paymentsFor = async (orderId: number) => {
    const [first] = instances;
    if (!first) throw new Error('start an instance first');
    return first.orm.em.fork().find(Payment, { orderId });
  };

  const close = async () => {
    for (const instance of instances.splice(0)) for (const closer of instance.closers) await closer.close();
    await deleteTestTopology(channel, {
      exchange: names.exchange,
      consumers: topologies.values(),
      queues: [probe],
    });
    await admin.close();
  };

  /** A fresh user and the headers that authenticate them. */
  const user = async () => {
    const id = crypto.randomUUID();
    return { id, headers: { Authorization: `Bearer ${await issuer.sign({ sub: id })}` } };
  };

  /**
   * An order of its own behind what the test published, through the consumer, the outbox and
   * the relay; handled once its outcome is out (see `afterSentinel`).
   */
  const sentinel = (): Sentinel => {
    const order = stockReserved();
    return {
      send: () => publish(order),
      handled: () => {
        if (outcomesFor(order.data.orderId).length === 0) throw new Error('no outcome for the sentinel yet');
      },
    };
  };

  return { names, channel, start, publish, sentinel, outcomesFor, paymentsFor, user, close };
}

export type Rig = Awaited<ReturnType<typeof createRig>>;

interface OrderOptions {
  totalCents?: number;
  userId?: string;
  orderId?: number;
}

/** The catalog's stock.reserved for a fresh order number (random, so suites never collide). */
export function stockReserved({
  totalCents = 900,
  userId,
  orderId = randomInt(1, 2 ** 40),
}: OrderOptions = {}) {
  return createEvent('stock.reserved', {
    orderId,
    userId: userId ?? crypto.randomUUID(),
    items: [{ productId: 1, name: 'Tea', unitPriceCents: totalCents, quantity: 1 }],
    totalCents,
    currency: 'EUR',
  });
}

export { afterSentinel, eventually, recordingLogger };

import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Orm } from '../src/db/index.ts';
import {
  addToOutbox,
  createBroker,
  createEvent,
  createOutboxRelay,
  OutboxMessage,
  OUTBOX_COLUMNS,
  outboxValues,
  PublishError,
  type Broker,
  type EventEnvelope,
  type OutboxRelay,
} from '../src/messaging/index.ts';
import { afterSentinel, deleteTestTopology, testLogger } from '@shop/testkit';
import {
  config,
  createAdmin,
  createBrokerProxy,
  createTestOrm,
  eventually,
  TestRecord,
  uniqueName,
} from './messaging-support.ts';

const logger = testLogger();
const exchange = uniqueName('outbox', 'events');
const probeQueue = uniqueName('outbox', 'probe');

let orm: Orm;
let disposeOrm: () => Promise<void>;
let admin: { connection: ChannelModel; channel: Channel };
/** Everything the exchange routed to the probe queue (order.* and payment.*). */
const received: ConsumeMessage[] = [];
const running: { stop(): Promise<unknown> }[] = [];

const orderCreated = (orderId: number) =>
  createEvent('order.created', {
    orderId,
    userId: crypto.randomUUID(),
    items: [{ productId: 1, name: 'Tea', unitPriceCents: 250, quantity: 2 }],
    totalCents: 500,
    currency: 'EUR',
  });

async function startBroker(url = config.RABBITMQ_URL): Promise<Broker> {
  const broker = await createBroker({
    url,
    logger,
    exchange,
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
  });
  running.push({ stop: () => broker.close() });
  return broker;
}

function startRelay(
  broker: Broker,
  options: {
    batchSize?: number;
    concurrency?: number;
    pollIntervalMs?: number;
    batchWindowMs?: number;
    retentionMs?: number;
    cleanupIntervalMs?: number;
  } = {},
): OutboxRelay {
  const relay = createOutboxRelay({
    orm,
    broker,
    logger,
    pollIntervalMs: 200,
    maxBackoffMs: 200,
    ...options,
  });
  relay.start();
  running.unshift(relay);
  return relay;
}

async function addEvents(events: EventEnvelope[]): Promise<void> {
  await orm.em.fork().transactional(async (em) => {
    for (const event of events) await addToOutbox(em, event);
  });
}

const receivedIds = (ids: readonly string[]) => {
  const wanted = new Set(ids);
  return received.map((message) => String(message.properties.messageId)).filter((id) => wanted.has(id));
};

const pendingCount = (ids: readonly string[]) =>
  orm.em.fork().count(OutboxMessage, { id: { $in: [...ids] }, publishedAt: null });

beforeAll(async () => {
  ({ orm, dispose: disposeOrm } = await createTestOrm('outbox'));
  admin = await createAdmin();
  await admin.channel.assertExchange(exchange, 'topic', { durable: true });
  await admin.channel.assertQueue(probeQueue, { durable: false });
  await admin.channel.bindQueue(probeQueue, exchange, 'order.*');
  await admin.channel.bindQueue(probeQueue, exchange, 'payment.*');
  await admin.channel.consume(probeQueue, (message) => message && received.push(message), { noAck: true });
});

afterEach(async () => {
  for (const item of running.splice(0)) await item.stop();
  // Each test starts from an empty outbox, whatever the previous one left pending.
  await orm.em.fork().nativeDelete(OutboxMessage, {});
});

afterAll(async () => {
  await deleteTestTopology(admin.channel, { exchange, queues: [probeQueue] });
  await admin.connection.close();
  await disposeOrm();
});

describe('addToOutbox', () => {
  it('commits the outbox row with the state change, and the relay publishes it', async () => {
    const event = orderCreated(1);

    await orm.em.fork().transactional(async (em) => {
      em.create(TestRecord, { label: event.id });
      await addToOutbox(em, event);
    });
    startRelay(await startBroker());

    await eventually(() => expect(receivedIds([event.id])).toEqual([event.id]));
    expect(await orm.em.fork().count(TestRecord, { label: event.id })).toBe(1);
    const row = await orm.em.fork().findOneOrFail(OutboxMessage, event.id);
    expect(row.publishedAt).toBeInstanceOf(Date);
    const message = received.find((candidate) => candidate.properties.messageId === event.id)!;
    expect(message.properties).toMatchObject({
      type: 'order.created',
      contentType: 'application/json',
      deliveryMode: 2,
    });
    expect(message.fields.routingKey).toBe('order.created');
    expect(JSON.parse(message.content.toString())).toEqual(event);
  });

  it('rolls back the outbox row with a failed state change: no row, no event', async () => {
    const event = orderCreated(2);
    startRelay(await startBroker());

    const attempt = orm.em.fork().transactional(async (em) => {
      em.create(TestRecord, { label: event.id });
      await addToOutbox(em, event);
      await em.flush();
      throw new Error('the order transaction fails after the insert');
    });

    await expect(attempt).rejects.toThrow(/fails after the insert/);
    expect(await orm.em.fork().count(TestRecord, { label: event.id })).toBe(0);
    expect(await orm.em.fork().count(OutboxMessage, { id: event.id })).toBe(0);
    // A committed event behind it: once the relay has published that one, it has seen the outbox.
    const sentinel = orderCreated(3);
    await afterSentinel({
      send: () => addEvents([sentinel]),
      handled: () => expect(receivedIds([sentinel.id])).toEqual([sentinel.id]),
    });
    expect(receivedIds([event.id])).toEqual([]);
  });

  it('stores several events in one call, in order, and the relay publishes each', async () => {
    const events = [orderCreated(4), orderCreated(5), orderCreated(6)];

    await orm.em.fork().transactional((em) => addToOutbox(em, ...events));
    startRelay(await startBroker());

    const ids = events.map((event) => event.id);
    await eventually(() => expect(receivedIds(ids)).toEqual(ids));
  });

  it('refuses to run outside a transaction', async () => {
    await expect(addToOutbox(orm.em.fork(), orderCreated(3))).rejects.toThrow(/inside em\.transactional/);
  });
});

describe('createOutboxRelay', () => {
  it('keeps the events while the broker is unreachable and delivers all of them once it is back', async () => {
    const proxy = await createBrokerProxy();
    running.push({ stop: () => proxy.stop() });
    await proxy.stop();
    startRelay(await startBroker(proxy.url));
    const events = Array.from({ length: 20 }, (_, index) => orderCreated(100 + index));
    const ids = events.map((event) => event.id);

    await addEvents(events);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await pendingCount(ids)).toBe(20);
    expect(receivedIds(ids)).toEqual([]);

    await proxy.start();
    await eventually(() => expect(receivedIds(ids).sort()).toEqual([...ids].sort()));
    await eventually(async () => expect(await pendingCount(ids)).toBe(0));
  });

  it('publishes every event with two relays on one outbox, none lost', async () => {
    const events = Array.from({ length: 400 }, (_, index) => orderCreated(1_000 + index));
    const ids = events.map((event) => event.id);
    await addEvents(events);

    const brokers = await Promise.all([startBroker(), startBroker()]);
    const publishedBy = new Map<Broker, number>();
    await Promise.all(brokers.map((broker) => broker.waitForConnect()));
    brokers.forEach((broker) => {
      const counting: Broker = {
        ...broker,
        publish: (event) => (
          publishedBy.set(broker, (publishedBy.get(broker) ?? 0) + 1),
          broker.publish(event)
        ),
      };
      startRelay(counting, { batchSize: 25 });
    });

    await eventually(async () => expect(await pendingCount(ids)).toBe(0), 15_000);
    await eventually(() => expect(new Set(receivedIds(ids)).size).toBe(ids.length));
    const duplicates = receivedIds(ids).length - ids.length;
    // FOR UPDATE SKIP LOCKED hands each row to one relay; a duplicate needs a crash before commit.
    expect(duplicates).toBe(0);
    // Both relays took part, so the test really ran them side by side.
    expect(brokers.map((broker) => (publishedBy.get(broker) ?? 0) > 0)).toEqual([true, true]);
  });

  it('drains a backlog with several batches in flight, publishing every event exactly once', async () => {
    const events = Array.from({ length: 300 }, (_, index) => orderCreated(2_000 + index));
    const ids = events.map((event) => event.id);
    await addEvents(events);
    const broker = await startBroker();
    await broker.waitForConnect();
    // The first batch (10 rows) runs alone. After it, publishes are held until more than 10 wait
    // at once, which only batches in flight side by side can reach: one at a time never gets there.
    let passedFreely = 0;
    let gateOpen = false;
    let mostWaiting = 0;
    const held: (() => void)[] = [];
    const gated: Broker = {
      ...broker,
      publish: async (event) => {
        if (!gateOpen && (passedFreely += 1) > 10) {
          await new Promise<void>((resolve) => {
            held.push(resolve);
            mostWaiting = Math.max(mostWaiting, held.length);
            if (held.length <= 10) return;
            gateOpen = true;
            for (const release of held.splice(0)) release();
          });
        }
        await broker.publish(event);
      },
    };

    startRelay(gated, { batchSize: 10, concurrency: 4 });

    try {
      await eventually(async () => expect(await pendingCount(ids)).toBe(0), 15_000);
    } finally {
      // Whatever happened, let the relay stop.
      gateOpen = true;
      for (const release of held.splice(0)) release();
    }
    expect(mostWaiting).toBeGreaterThan(10);
    await eventually(() => expect(new Set(receivedIds(ids)).size).toBe(ids.length));
    expect(receivedIds(ids)).toHaveLength(ids.length);
  });

  it('publishes a row committed without a NOTIFY as soon as its writer calls wake()', async () => {
    // Polling alone would take a minute: only wake() can make it within `eventually`.
    const relay = startRelay(await startBroker(), { pollIntervalMs: 60_000 });
    const first = orderCreated(5);
    await addEvents([first]);
    await eventually(() => expect(receivedIds([first.id])).toEqual([first.id]));

    const quiet = orderCreated(6);
    await orm.em
      .fork()
      .execute(`insert into outbox (${OUTBOX_COLUMNS}) values (?, ?, ?, ?, ?)`, outboxValues(quiet), 'run');
    relay.wake();

    await eventually(() => expect(receivedIds([quiet.id])).toEqual([quiet.id]));
  });

  it('sends an event of a steady trickle at once: only a backlog makes batches wait for each other', async () => {
    // A window long enough to see: a relay that waited it out would miss the deadline below.
    startRelay(await startBroker(), { batchWindowMs: 5_000 });
    const pair = [orderCreated(7), orderCreated(8)];
    await addEvents(pair);
    await eventually(() => expect(receivedIds(pair.map((event) => event.id))).toHaveLength(2));

    const next = orderCreated(9);
    const committedAt = performance.now();
    await addEvents([next]);
    await eventually(() => expect(receivedIds([next.id])).toEqual([next.id]), 2_000);
    expect(performance.now() - committedAt).toBeLessThan(2_000);
  });

  it('fails an unroutable publish and leaves its row pending with the error', async () => {
    const broker = await startBroker();
    // Nothing is bound for user.* on this exchange: with `mandatory` that is an error.
    const unroutable = createEvent('user.telegram_linked', { userId: crypto.randomUUID(), telegramId: 42 });
    await broker.waitForConnect();

    await expect(broker.publish(unroutable)).rejects.toMatchObject({
      name: 'PublishError',
      reason: 'unroutable',
    });
    await expect(broker.publish(unroutable)).rejects.toBeInstanceOf(PublishError);

    await addEvents([unroutable]);
    startRelay(broker);
    const row = await eventually(async () => {
      const found = await orm.em.fork().findOneOrFail(OutboxMessage, unroutable.id);
      expect(found.attempts).toBeGreaterThan(0);
      return found;
    });
    expect(row.publishedAt).toBeNull();
    expect(row.lastError).toMatch(/no queue is bound/);
  });

  it('deletes published rows once they are older than the retention', async () => {
    const event = orderCreated(4);
    await addEvents([event]);

    startRelay(await startBroker(), { retentionMs: 0, cleanupIntervalMs: 0 });

    await eventually(() => expect(receivedIds([event.id])).toEqual([event.id]));
    await eventually(async () => expect(await orm.em.fork().count(OutboxMessage, { id: event.id })).toBe(0));
  });
});

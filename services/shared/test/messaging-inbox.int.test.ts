import { setTimeout as sleep } from 'node:timers/promises';
import type { Channel, ChannelModel, Options } from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Orm } from '../src/db/index.ts';
import {
  createBroker,
  createConsumer,
  createEvent,
  DEAD_LETTER_REASON_HEADER,
  deleteConsumerTopology,
  InboxMessage,
  RETRY_COUNT_HEADER,
  type Broker,
  type ConsumerTopology,
  type EventEnvelope,
  type EventHandler,
} from '../src/messaging/index.ts';
import { testLogger } from '../src/testing/index.ts';
import {
  createAdmin,
  createBrokerProxy,
  createTestOrm,
  eventually,
  recordingLogger,
  takeAll,
  TestRecord,
  uniqueName,
  type BrokerProxy,
} from './messaging-support.ts';

const exchange = uniqueName('inbox', 'events');
const retryDelaysMs = [100, 200, 300];

let orm: Orm;
let disposeOrm: () => Promise<void>;
let admin: { connection: ChannelModel; channel: Channel };
let proxy: BrokerProxy;
const topologies: ConsumerTopology[] = [];
const running: { stop(): Promise<unknown> }[] = [];
/** Set by a test to run right after the next commit, before the ack. */
let afterNextCommit: (() => void) | undefined;

const orderCreated = () =>
  createEvent('order.created', {
    orderId: 7,
    userId: crypto.randomUUID(),
    items: [{ productId: 1, name: 'Tea', unitPriceCents: 250, quantity: 1 }],
    totalCents: 250,
    currency: 'EUR',
  });

/** The handler's effect: one test_records row labelled with the event id. */
const recordEffect: EventHandler<'order.created'> = async (em, event) => {
  em.create(TestRecord, { label: event.id });
  await em.flush();
};

async function startBroker(logger = testLogger()): Promise<Broker> {
  const broker = await createBroker({
    url: proxy.url,
    logger,
    exchange,
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
  });
  running.push({ stop: () => broker.close() });
  await broker.waitForConnect();
  return broker;
}

async function startConsumer(
  broker: Broker,
  name: string,
  handler: EventHandler<'order.created'>,
  logger = testLogger(),
) {
  const consumer = await createConsumer({
    broker,
    orm,
    name,
    routingKeys: ['order.created'],
    handler,
    logger,
    retryDelaysMs,
  });
  topologies.push(consumer.topology);
  running.unshift(consumer);
  return consumer;
}

function publish(content: Buffer | EventEnvelope, options: Options.Publish = {}): void {
  const body = Buffer.isBuffer(content) ? content : Buffer.from(JSON.stringify(content));
  const messageId = Buffer.isBuffer(content) ? crypto.randomUUID() : content.id;
  admin.channel.publish(exchange, 'order.created', body, { persistent: true, messageId, ...options });
}

const effects = (eventId: string) => orm.em.fork().count(TestRecord, { label: eventId });

beforeAll(async () => {
  ({ orm, dispose: disposeOrm } = await createTestOrm('inbox'));
  admin = await createAdmin();
  proxy = await createBrokerProxy();
  // Lets a test act between the consumer's commit and its ack.
  orm.em.getEventManager().registerSubscriber({
    afterTransactionCommit: () => {
      const hook = afterNextCommit;
      afterNextCommit = undefined;
      hook?.();
    },
  });
});

afterEach(async () => {
  afterNextCommit = undefined;
  for (const item of running.splice(0)) await item.stop();
});

afterAll(async () => {
  for (const topology of topologies) await deleteConsumerTopology(admin.channel, topology).catch(() => {});
  await admin.channel.deleteExchange(exchange);
  await admin.connection.close();
  await proxy.stop();
  await disposeOrm();
});

describe('createConsumer', () => {
  it('applies a message delivered three times, also to two concurrent consumers, once', async () => {
    const name = uniqueName('inbox', 'duplicates');
    let calls = 0;
    const handler: EventHandler<'order.created'> = async (em, event) => {
      calls += 1;
      await sleep(50); // widens the window in which both consumers hold the same message
      await recordEffect(em, event);
    };
    const first = await startConsumer(await startBroker(), name, handler);
    await startConsumer(await startBroker(), name, handler);
    const event = orderCreated();

    for (let copy = 0; copy < 3; copy += 1) publish(event);

    await eventually(async () => expect(await effects(event.id)).toBe(1));
    await sleep(300);
    expect(await effects(event.id)).toBe(1);
    expect(calls).toBe(1);
    expect(await orm.em.fork().count(InboxMessage, { consumer: name, messageId: event.id })).toBe(1);
    for (const item of running.splice(0)) await item.stop();
    // Every copy was acked: nothing went back to the queue.
    expect((await admin.channel.checkQueue(first.topology.queue)).messageCount).toBe(0);
  });

  it('changes nothing when the message is redelivered after a commit whose ack was lost', async () => {
    const { logger, lines } = recordingLogger();
    const name = uniqueName('inbox', 'lost-ack');
    let calls = 0;
    await startConsumer(
      await startBroker(logger),
      name,
      async (em, event) => {
        calls += 1;
        // The connection dies after the commit and before the ack reaches the broker.
        afterNextCommit = () => proxy.dropConnections();
        await recordEffect(em, event);
      },
      logger,
    );
    const event = orderCreated();

    publish(event);

    await eventually(() =>
      expect(
        lines.some((line) => line.msg === 'duplicate message skipped' && line.eventId === event.id),
      ).toBe(true),
    );
    expect(calls).toBe(1);
    expect(await effects(event.id)).toBe(1);
  });

  it('dead-letters malformed and schema-invalid messages at once and keeps consuming', async () => {
    const name = uniqueName('inbox', 'invalid');
    let calls = 0;
    const consumer = await startConsumer(await startBroker(), name, async (em, event) => {
      calls += 1;
      await recordEffect(em, event);
    });
    const valid = orderCreated();
    const schemaInvalid = { ...orderCreated(), data: { orderId: 'seven' } };

    publish(Buffer.from('{"id": not json'));
    publish(schemaInvalid as unknown as EventEnvelope);
    publish(valid);

    await eventually(async () => expect(await effects(valid.id)).toBe(1));
    const dead = await eventually(async () => {
      const taken = await takeAll(admin.channel, consumer.topology.deadLetterQueue);
      expect(taken).toHaveLength(2);
      return taken;
    });
    const reasons = dead.map(
      (message) => (message.properties.headers as Record<string, unknown>)[DEAD_LETTER_REASON_HEADER],
    );
    expect(reasons.sort()).toEqual(['malformed', 'schema_invalid']);
    expect(
      dead.every((message) => !(message.properties.headers as Record<string, unknown>)[RETRY_COUNT_HEADER]),
    ).toBe(true);
    expect(
      dead.find((message) => message.properties.messageId === schemaInvalid.id)?.content.toString(),
    ).toBe(JSON.stringify(schemaInvalid));
    expect(calls).toBe(1);
  });

  it('retries a failing handler the configured number of times, then dead-letters the message', async () => {
    const name = uniqueName('inbox', 'failing');
    const attempts: number[] = [];
    const consumer = await startConsumer(await startBroker(), name, async () => {
      attempts.push(Date.now());
      await Promise.resolve();
      throw new Error('payment provider exploded');
    });
    const event = orderCreated();

    publish(event);

    const [dead] = await eventually(async () => {
      const taken = await takeAll(admin.channel, consumer.topology.deadLetterQueue);
      expect(taken).toHaveLength(1);
      return taken;
    });
    const headers = dead!.properties.headers as Record<string, unknown>;
    expect(dead!.properties.messageId).toBe(event.id);
    expect(headers[RETRY_COUNT_HEADER]).toBe(retryDelaysMs.length);
    expect(headers[DEAD_LETTER_REASON_HEADER]).toBe('retries_exhausted');
    expect(headers['x-last-error']).toBe('payment provider exploded');
    expect(attempts).toHaveLength(1 + retryDelaysMs.length);
    // Each retry waited at least its delay.
    expect(attempts.at(-1)! - attempts[0]!).toBeGreaterThanOrEqual(
      retryDelaysMs.reduce((sum, delay) => sum + delay, 0) - 50,
    );
    expect(await effects(event.id)).toBe(0);
  });

  it('retries a handler that fails once and applies the message once', async () => {
    const name = uniqueName('inbox', 'flaky');
    let calls = 0;
    await startConsumer(await startBroker(), name, async (em, event) => {
      calls += 1;
      if (calls === 1) throw new Error('database hiccup');
      await recordEffect(em, event);
    });
    const event = orderCreated();

    publish(event);

    await eventually(async () => expect(await effects(event.id)).toBe(1));
    expect(calls).toBe(2);
  });

  it('consumes again after the broker connection drops', async () => {
    const name = uniqueName('inbox', 'reconnect');
    await startConsumer(await startBroker(), name, recordEffect);
    const before = orderCreated();
    publish(before);
    await eventually(async () => expect(await effects(before.id)).toBe(1));

    proxy.dropConnections();
    await sleep(100);
    const after = orderCreated();
    publish(after);

    await eventually(async () => expect(await effects(after.id)).toBe(1));
  });
});

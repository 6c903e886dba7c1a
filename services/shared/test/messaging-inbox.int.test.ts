import { setTimeout as sleep } from 'node:timers/promises';
import type { Channel, ChannelModel, Options } from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Orm } from '../src/db/index.ts';
import {
  createBroker,
  createConsumer,
  createEvent,
  DEAD_LETTER_REASON_HEADER,
  InboxMessage,
  RETRY_COUNT_HEADER,
  type Broker,
  type ConsumerTopology,
  type EventEnvelope,
  type EventHandler,
} from '../src/messaging/index.ts';
import { afterSentinel, deleteTestTopology, testLogger, type Sentinel } from '@shop/testkit';
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
  batchSize?: number,
  gatherMs?: number,
) {
  const consumer = await createConsumer({
    broker,
    orm,
    name,
    routingKeys: ['order.created'],
    handler,
    logger,
    retryDelaysMs,
    batchSize,
    gatherMs,
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

/** An event of its own published behind the test's; handled once its effect is stored (see `afterSentinel`). */
function sentinel(): Sentinel & { event: EventEnvelope } {
  const event = orderCreated();
  return {
    event,
    send: () => publish(event),
    handled: async () => expect(await effects(event.id)).toBe(1),
  };
}

interface RecorderOptions {
  apply?: EventHandler<'order.created'>;
  holdFirst?: boolean;
}

/**
 * A handler that runs `apply` (by default `recordEffect`) and notes each call's event and
 * database transaction. With `holdFirst` it keeps the first event until
 * `release()`: what is published meanwhile piles up in the consumer and waits for one batch.
 */
function transactionRecorder({ apply = recordEffect, holdFirst = false }: RecorderOptions = {}) {
  const calls: { eventId: string; transaction: string }[] = [];
  let reached = () => {};
  let release = () => {};
  const holding = new Promise<void>((resolve) => (reached = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const handler: EventHandler<'order.created'> = async (em, event) => {
    const [row] = await em.execute<{ id: string }[]>('select txid_current()::text as id');
    calls.push({ eventId: event.id, transaction: row!.id });
    if (holdFirst && calls.length === 1) {
      reached();
      await released;
    }
    await apply(em, event);
  };
  /** The event ids of each transaction, in the order they ran. */
  const transactions = () => {
    const byTransaction = new Map<string, string[]>();
    for (const { eventId, transaction } of calls)
      byTransaction.set(transaction, [...(byTransaction.get(transaction) ?? []), eventId]);
    return [...byTransaction.values()];
  };
  return { handler, calls, transactions, holding, release };
}

/**
 * Publishes a first event to hold the consumer of queue `name` with, then `contents`, and lets the
 * first go once the broker sent them all on: they reach the consumer while it is busy, and wait.
 */
async function publishWhileHeld(
  name: string,
  recorder: ReturnType<typeof transactionRecorder>,
  contents: (Buffer | EventEnvelope)[],
): Promise<EventEnvelope> {
  const first = orderCreated();
  publish(first);
  await recorder.holding;
  for (const content of contents) publish(content);
  await eventually(async () => expect((await admin.channel.checkQueue(name)).messageCount).toBe(0));
  await sleep(100); // on their way over loopback: let them arrive
  recorder.release();
  return first;
}

/** Takes the dead-letter queue's messages once `count` are there (taking them consumes them). */
async function deadLetters(topology: ConsumerTopology, count: number) {
  await eventually(async () =>
    expect((await admin.channel.checkQueue(topology.deadLetterQueue)).messageCount).toBe(count),
  );
  return takeAll(admin.channel, topology.deadLetterQueue);
}

const loggedIds = (lines: Record<string, unknown>[], msg: string, key: string) =>
  lines.filter((line) => line.msg === msg).map((line) => line[key]);

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
  await deleteTestTopology(admin.channel, { exchange, consumers: topologies });
  await admin.connection.close();
  await proxy.stop();
  await disposeOrm();
});

describe('createConsumer', () => {
  it('applies a message delivered three times, also to two concurrent consumers, once', async () => {
    const name = uniqueName('inbox', 'duplicates');
    const { logger, lines } = recordingLogger();
    let calls = 0;
    const handler: EventHandler<'order.created'> = async (em, event) => {
      calls += 1;
      await sleep(50); // widens the window in which both consumers hold the same message
      await recordEffect(em, event);
    };
    const first = await startConsumer(await startBroker(), name, handler, logger);
    await startConsumer(await startBroker(), name, handler, logger);
    const event = orderCreated();

    for (let copy = 0; copy < 3; copy += 1) publish(event);

    await eventually(async () => expect(await effects(event.id)).toBe(1));
    // Two consumers take the copies in no set order: their logs say when all three are handled.
    await eventually(() =>
      expect(loggedIds(lines, 'duplicate message skipped', 'eventId')).toEqual([event.id, event.id]),
    );
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

  it('stops receiving the routing keys an earlier version bound its queue to', async () => {
    const name = uniqueName('inbox', 'retired');
    const broker = await startBroker();
    const old = await createConsumer({
      broker,
      orm,
      name,
      routingKeys: ['order.created', 'payment.succeeded'],
      handler: async () => {},
      logger: testLogger(),
      retryDelaysMs,
    });
    topologies.push(old.topology);
    await old.stop();
    const { logger, lines } = recordingLogger();
    const retired = await createConsumer({
      broker,
      orm,
      name,
      routingKeys: ['order.created'],
      retiredRoutingKeys: ['payment.succeeded', 'payment.failed'],
      handler: recordEffect,
      logger,
      retryDelaysMs,
    });
    running.unshift(retired);
    const payment = createEvent('payment.succeeded', {
      paymentId: crypto.randomUUID(),
      orderId: 7,
      userId: crypto.randomUUID(),
      amountCents: 250,
      currency: 'EUR',
    });

    admin.channel.publish(exchange, 'payment.succeeded', Buffer.from(JSON.stringify(payment)), {
      messageId: payment.id,
    });
    await afterSentinel(sentinel());

    expect((await admin.channel.checkQueue(`${name}.dlq`)).messageCount).toBe(0);
    expect(lines.filter((line) => line.msg === 'invalid message sent to the dead-letter queue')).toEqual([]);
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

describe('createConsumer with batchSize', () => {
  it('applies forty messages published at once exactly once each, in order, up to eight to a transaction', async () => {
    const name = uniqueName('inbox', 'batch');
    const recorder = transactionRecorder();
    await startConsumer(await startBroker(), name, recorder.handler, testLogger(), 8);
    const events = Array.from({ length: 40 }, orderCreated);
    const ids = events.map((event) => event.id);

    for (const event of events) publish(event);

    await eventually(async () =>
      expect(await orm.em.fork().count(TestRecord, { label: { $in: ids } })).toBe(ids.length),
    );
    const behind = sentinel();
    await afterSentinel(behind);
    for (const event of events) expect(await effects(event.id)).toBe(1);
    expect(recorder.calls.map((call) => call.eventId)).toEqual([...ids, behind.event.id]);
    // The last transaction is the sentinel's alone: it was published once the forty were applied.
    const transactions = recorder.transactions().slice(0, -1);
    expect(transactions.length).toBeLessThan(ids.length);
    expect(Math.max(...transactions.map((batch) => batch.length))).toBeLessThanOrEqual(8);
    for (const item of running.splice(0)) await item.stop();
    expect((await admin.channel.checkQueue(name)).messageCount).toBe(0);
  });

  it('with gatherMs, applies messages that trickle in one by one together', async () => {
    const name = uniqueName('inbox', 'batch-gather');
    const recorder = transactionRecorder();
    await startConsumer(await startBroker(), name, recorder.handler, testLogger(), 8, 1_000);
    const events = Array.from({ length: 6 }, orderCreated);
    const ids = events.map((event) => event.id);

    for (const event of events) {
      publish(event);
      await sleep(30);
    }

    await eventually(async () =>
      expect(await orm.em.fork().count(TestRecord, { label: { $in: ids } })).toBe(ids.length),
    );
    expect(recorder.calls.map((call) => call.eventId)).toEqual(ids);
    // Without gathering, each would have had a transaction of its own (30 ms apart).
    expect(recorder.transactions().length).toBeLessThanOrEqual(2);
  });

  it('with gatherMs, stops without waiting out the gathering, and applies what it gathered first', async () => {
    const name = uniqueName('inbox', 'batch-gather-stop');
    const consumer = await startConsumer(await startBroker(), name, recordEffect, testLogger(), 8, 60_000);
    const event = orderCreated();
    publish(event);
    // Delivered (no longer ready in the queue) and gathering for a minute.
    await eventually(async () => expect((await admin.channel.checkQueue(name)).messageCount).toBe(0));
    await sleep(100);

    const started = performance.now();
    await consumer.stop();

    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await effects(event.id)).toBe(1);
  });

  it('retries only the message that fails inside a batch, then dead-letters it; the others apply once', async () => {
    const { logger, lines } = recordingLogger();
    const name = uniqueName('inbox', 'batch-failing');
    const events = Array.from({ length: 5 }, orderCreated);
    const bad = events[2]!;
    const recorder = transactionRecorder({
      holdFirst: true,
      apply: async (em, event) => {
        if (event.id === bad.id) throw new Error(`cannot apply ${event.id}`);
        await recordEffect(em, event);
      },
    });
    const consumer = await startConsumer(await startBroker(logger), name, recorder.handler, logger, 8);

    await publishWhileHeld(name, recorder, events);

    const [dead] = await deadLetters(consumer.topology, 1);
    const headers = dead!.properties.headers as Record<string, unknown>;
    expect(dead!.properties.messageId).toBe(bad.id);
    expect(headers[RETRY_COUNT_HEADER]).toBe(retryDelaysMs.length);
    expect(headers[DEAD_LETTER_REASON_HEADER]).toBe('retries_exhausted');
    expect(headers['x-last-error']).toBe(`cannot apply ${bad.id}`);
    for (const event of events) expect(await effects(event.id)).toBe(event === bad ? 0 : 1);
    // They were tried together up to the failing one; its error rolled that back.
    expect(recorder.transactions()[1]).toEqual(events.slice(0, 3).map((event) => event.id));
    expect(loggedIds(lines, 'batch failed; applying its messages one by one', 'messages')).toEqual([5]);
    // In the batch, alone, then once per retry: the batch cost it none of its retries, and the
    // others, applied alone after it, were never retried.
    expect(recorder.calls.filter((call) => call.eventId === bad.id)).toHaveLength(2 + retryDelaysMs.length);
    expect(new Set(loggedIds(lines, 'handler failed; retrying later', 'messageId'))).toEqual(
      new Set([bad.id]),
    );
  });

  it('applies a message twice in one batch, or already in the inbox, once', async () => {
    const { logger, lines } = recordingLogger();
    const name = uniqueName('inbox', 'batch-duplicates');
    const [fresh, twice, known, last] = Array.from({ length: 4 }, orderCreated);
    // `known` was applied before: its id is in the inbox, its effect in place.
    await orm.em.fork().transactional(async (em) => {
      em.create(InboxMessage, { consumer: name, messageId: known!.id });
      await recordEffect(em, known!);
    });
    const recorder = transactionRecorder({ holdFirst: true });
    const consumer = await startConsumer(await startBroker(logger), name, recorder.handler, logger, 8);

    const first = await publishWhileHeld(name, recorder, [fresh!, twice!, known!, twice!, last!]);

    await eventually(async () => expect(await effects(last!.id)).toBe(1));
    const behind = sentinel();
    await afterSentinel(behind);
    for (const event of [fresh!, twice!, known!, last!]) expect(await effects(event.id)).toBe(1);
    expect(recorder.transactions()).toEqual([
      [first.id],
      [fresh!.id, twice!.id, last!.id],
      [behind.event.id],
    ]);
    expect(loggedIds(lines, 'duplicate message skipped', 'eventId').sort()).toEqual(
      [twice!.id, known!.id].sort(),
    );
    expect(lines.some((line) => line.msg === 'batch failed; applying its messages one by one')).toBe(false);
    expect(await orm.em.fork().count(InboxMessage, { consumer: name })).toBe(6);
    for (const item of running.splice(0)) await item.stop();
    // Every copy was acked, none retried or dead-lettered.
    expect((await admin.channel.checkQueue(consumer.topology.queue)).messageCount).toBe(0);
    expect((await admin.channel.checkQueue(consumer.topology.deadLetterQueue)).messageCount).toBe(0);
  });

  it('dead-letters malformed and schema-invalid messages of a batch at once and applies the rest together', async () => {
    const name = uniqueName('inbox', 'batch-invalid');
    const valid = Array.from({ length: 3 }, orderCreated);
    const schemaInvalid = { ...orderCreated(), data: { orderId: 'seven' } } as unknown as EventEnvelope;
    const recorder = transactionRecorder({ holdFirst: true });
    const consumer = await startConsumer(await startBroker(), name, recorder.handler, testLogger(), 8);

    const first = await publishWhileHeld(name, recorder, [
      valid[0]!,
      Buffer.from('{"id": not json'),
      valid[1]!,
      schemaInvalid,
      valid[2]!,
    ]);

    const headers = (await deadLetters(consumer.topology, 2)).map(
      (message) => message.properties.headers as Record<string, unknown>,
    );
    expect(headers.map((header) => header[DEAD_LETTER_REASON_HEADER]).sort()).toEqual([
      'malformed',
      'schema_invalid',
    ]);
    expect(headers.every((header) => !header[RETRY_COUNT_HEADER])).toBe(true);
    await eventually(async () => expect(await effects(valid[2]!.id)).toBe(1));
    for (const event of valid) expect(await effects(event.id)).toBe(1);
    expect(recorder.transactions()).toEqual([[first.id], valid.map((event) => event.id)]);
  });

  it('lets each handler in a batch read what the handlers before it wrote', async () => {
    const name = uniqueName('inbox', 'batch-reads');
    const events = Array.from({ length: 4 }, orderCreated);
    const ids = events.map((event) => event.id);
    const seen: number[] = [];
    const recorder = transactionRecorder({
      holdFirst: true,
      // Writes without flushing, and reads with plain SQL, before which the ORM flushes nothing itself.
      apply: async (em, event) => {
        const [row] = await em.execute<{ count: number }[]>(
          'select count(*)::int as count from test_records where label in (?)',
          [ids],
        );
        seen.push(row!.count);
        em.create(TestRecord, { label: event.id });
      },
    });
    await startConsumer(await startBroker(), name, recorder.handler, testLogger(), 8);

    const first = await publishWhileHeld(name, recorder, events);

    await eventually(async () => expect(await effects(ids.at(-1)!)).toBe(1));
    expect(recorder.transactions()).toEqual([[first.id], ids]);
    expect(seen.slice(1)).toEqual([0, 1, 2, 3]);
  });
});

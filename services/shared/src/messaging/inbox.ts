import { setImmediate as nextTurn } from 'node:timers/promises';
import { defineEntity, p, type InferEntity, type QueryResult } from '@mikro-orm/core';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { Orm } from '../db/index.ts';
import type { Broker } from './broker.ts';
import { InvalidEventError, parseEvent, type EventOf, type EventType } from './contracts.ts';
import { createDeadLetterer } from './dead-letter.ts';
import type { ServiceEntityManager } from './outbox.ts';
import {
  assertConsumerTopology,
  consumerTopology,
  DEFAULT_RETRY_DELAYS_MS,
  type ConsumerTopology,
} from './topology.ts';

/** A message a consumer has processed; its effect committed in the same transaction. */
export const InboxMessage = defineEntity({
  name: 'InboxMessage',
  tableName: 'inbox',
  properties: {
    consumer: p.string().length(200).primary(),
    messageId: p.uuid().primary(),
    receivedAt: p.datetime().defaultRaw('now()'),
  },
});
export type InboxMessage = InferEntity<typeof InboxMessage>;

/** Applies one event inside the consumer's transaction; throw to have it retried. */
export type EventHandler<T extends EventType> = (
  em: ServiceEntityManager,
  event: EventOf<T>,
) => Promise<void>;

/**
 * Applies several new events (distinct message ids, in delivery order) inside one transaction,
 * with the same effect as the `EventHandler` applied to each in turn; throw to have them retried
 * one by one.
 */
export type BatchEventHandler<T extends EventType> = (
  em: ServiceEntityManager,
  events: EventOf<T>[],
) => Promise<void>;

export interface ConsumerOptions<T extends EventType> {
  broker: Broker;
  orm: Orm;
  /** Queue name and inbox key, e.g. `payment.order-created`; stable across deploys. */
  name: string;
  routingKeys: readonly T[];
  handler: EventHandler<T>;
  logger: Logger;
  /**
   * Up to this many waiting messages are applied in ONE transaction (default 1: a transaction
   * each). Batches run one after another, so the handler must not rely on running concurrently
   * with itself; if a batch fails, its messages are applied again one by one, so one bad message
   * costs only itself a retry.
   */
  batchSize?: number;
  /**
   * Applies a batch's new events at once (say, one statement for all of them) instead of
   * `handler` on each; `handler` still applies a message alone.
   */
  batchHandler?: BatchEventHandler<T>;
  /**
   * With `batchSize`, a batch that is not full waits up to this long for more messages before it
   * is applied (default 0: it takes what has arrived). For consumers no one waits on, such as
   * stock counts: a steady trickle of events then shares transactions instead of taking one each.
   */
  gatherMs?: number;
  /** Unacked messages in flight (default 16, or twice `batchSize` when that is more). */
  prefetch?: number;
  /** Delay before each retry; `length` retries, then the dead-letter queue (default 1 s, 5 s, 30 s). */
  retryDelaysMs?: readonly number[];
}

export interface Consumer {
  readonly topology: ConsumerTopology;
  /** Stops taking messages; handlers in flight finish (and ack) before it resolves. */
  stop(): Promise<void>;
}

/**
 * Consumes `routingKeys` into queue `name` (declared with its retry and dead-letter queues)
 * exactly once in effect: each message runs in one transaction that first inserts
 * (consumer, message id) into `inbox` and then calls `handler` with that transaction's
 * EntityManager; an id already there is a duplicate and skips the handler (with `batchSize`,
 * waiting messages share that transaction). The message is acked only after commit. A handler error sends a copy to the next retry queue (or, after the last,
 * the dead-letter queue) and acks only once the broker confirmed that copy; a malformed or
 * schema-invalid message goes to the dead-letter queue at once. Channel and consumer are
 * re-created after a reconnect, or when their channel alone closes.
 */
export async function createConsumer<T extends EventType>(options: ConsumerOptions<T>): Promise<Consumer> {
  const { broker, orm, name, routingKeys, handler, batchHandler, batchSize = 1, gatherMs = 0 } = options;
  const prefetch = options.prefetch ?? Math.max(16, 2 * batchSize);
  const topology = consumerTopology(name, options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS);
  const log = options.logger.child({ component: 'consumer', consumer: name });
  const deadLetterer = createDeadLetterer({ broker, topology, logger: log });
  const accepted = new Set<string>(routingKeys);
  const inFlight = new Set<Promise<void>>();
  let channel: Channel | undefined;
  let consumerTag: string | undefined;
  let stopping = false;
  let settingUp = 0;

  interface Delivery {
    from: Channel;
    message: ConsumeMessage;
    event: EventOf<T>;
  }

  const skippedDuplicate = (event: EventOf<T>) =>
    log.debug({ eventId: event.id, type: event.type }, 'duplicate message skipped');

  /** The event in `message`, or undefined once a malformed or unexpected one is dead-lettered. */
  const parse = async (from: Channel, message: ConsumeMessage): Promise<EventOf<T> | undefined> => {
    try {
      const event = parseEvent(message.content) as EventOf<T>;
      if (!accepted.has(event.type))
        throw new InvalidEventError('schema_invalid', `unexpected event type ${event.type}`);
      return event;
    } catch (error) {
      await deadLetterer.reject(from, message, error as InvalidEventError);
      return undefined;
    }
  };

  /** One message in its own transaction; acked after commit, or sent on to be retried. */
  const applyOne = async ({ from, message, event }: Delivery) => {
    try {
      const duplicate = await orm.em.fork().transactional(async (em) => {
        const inserted = await em.execute<QueryResult>(
          'insert into inbox (consumer, message_id) values (?, ?) on conflict do nothing',
          [name, event.id],
          'run',
        );
        if (inserted.affectedRows === 0) return true;
        await handler(em, event);
        return false;
      });
      if (duplicate) skippedDuplicate(event);
      deadLetterer.ack(from, message);
    } catch (error) {
      await deadLetterer.retry(from, message, error);
    }
  };

  /**
   * Several messages in one transaction: one inbox insert for all of them, the handler for each
   * new one, one commit, then the acks. Any error rolls all of it back and the messages are
   * applied one by one instead, each with its own retries.
   */
  const applyBatch = async (deliveries: Delivery[]) => {
    try {
      await orm.em.fork().transactional(async (em) => {
        const rows = await em.execute<{ message_id: string }[]>(
          `insert into inbox (consumer, message_id) values ${deliveries.map(() => '(?, ?)').join(', ')}
           on conflict do nothing returning message_id`,
          deliveries.flatMap(({ event }) => [name, event.id]),
        );
        // A message published twice (the relay's at-least-once) can sit in one batch twice: the
        // insert returns its id once, and only its first copy runs.
        const fresh = new Set(rows.map((row) => row.message_id));
        const events: EventOf<T>[] = [];
        for (const { event } of deliveries) {
          if (fresh.delete(event.id)) events.push(event);
          else skippedDuplicate(event);
        }
        if (events.length === 0) return;
        if (batchHandler) return batchHandler(em, events);
        for (const event of events) {
          await handler(em, event);
          // The next handler may load what this one changed: let it read the changes, not the
          // rows as they were.
          await em.flush();
        }
      });
    } catch (error) {
      log.warn({ err: error, messages: deliveries.length }, 'batch failed; applying its messages one by one');
      for (const delivery of deliveries) await applyOne(delivery);
      return;
    }
    ackAll(deliveries);
  };

  /**
   * Acks a committed batch. Batches are applied in delivery order and everything delivered before
   * them is settled already, so one ack of a channel's last delivery covers the rest of them.
   */
  const ackAll = (deliveries: Delivery[]) => {
    const last = new Map<Channel, ConsumeMessage>();
    for (const { from, message } of deliveries) last.set(from, message);
    for (const [from, message] of last) deadLetterer.ack(from, message, true);
  };

  const handleDelivery = async (from: Channel, message: ConsumeMessage) => {
    const event = await parse(from, message);
    if (event) await applyOne({ from, message, event });
  };

  const waiting: { from: Channel; message: ConsumeMessage }[] = [];
  let draining = false;
  /** Set while a batch gathers: `receive` calls it once the batch is full. */
  let gathered: (() => void) | undefined;
  /** Waits until `batchSize` messages wait, `gatherMs` passed, or the consumer stops. */
  const gather = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, gatherMs);
      function done() {
        clearTimeout(timer);
        gathered = undefined;
        resolve();
      }
      gathered = done;
    });
  /** Applies waiting messages in batches, one batch at a time, until none wait. */
  const drain = async () => {
    draining = true;
    try {
      // The deliveries of one read from the socket arrive in one turn: let them all in first.
      await nextTurn();
      while (waiting.length > 0) {
        if (gatherMs > 0 && waiting.length < batchSize && !stopping) await gather();
        const deliveries: Delivery[] = [];
        for (const { from, message } of waiting.splice(0, batchSize)) {
          const event = await parse(from, message);
          if (event) deliveries.push({ from, message, event });
        }
        const [only] = deliveries;
        if (deliveries.length > 1) await applyBatch(deliveries);
        else if (only) await applyOne(only);
      }
    } finally {
      draining = false;
    }
  };

  /** Hands a delivery on; the promise settles once it is acked or on its way to a retry. */
  const receive = (from: Channel, message: ConsumeMessage): Promise<void> | undefined => {
    if (batchSize === 1) return handleDelivery(from, message);
    waiting.push({ from, message });
    if (waiting.length >= batchSize) gathered?.();
    return draining ? undefined : drain();
  };

  const reopen = () => {
    // A reconnect may already have set up a new channel (or be doing so) in the meantime.
    if (stopping || channel || settingUp > 0) return;
    registration
      .rerun()
      .catch((error: unknown) => log.warn({ err: error }, 'cannot reopen the consumer channel'));
  };

  const setup = async (connection: ChannelModel) => {
    if (stopping) return;
    settingUp += 1;
    try {
      await open(connection);
    } finally {
      settingUp -= 1;
    }
  };

  const open = async (connection: ChannelModel) => {
    const fresh = await connection.createChannel();
    fresh.on('error', (error: Error) => log.warn({ err: error }, 'consumer channel error'));
    fresh.on('close', () => {
      if (channel !== fresh) return;
      channel = undefined;
      // If only this channel closed (a broker-side channel error), nothing else reopens it;
      // if the connection went, rerun() is a no-op and the reconnect sets everything up again.
      if (!stopping) setTimeout(reopen, 1_000).unref();
    });
    await fresh.prefetch(prefetch);
    await assertConsumerTopology(fresh, broker.exchange, topology, routingKeys);
    const reply = await fresh.consume(topology.queue, (message) => {
      if (!message) {
        // The broker cancelled us (queue deleted): closing the channel leads to reopen(), which redeclares.
        fresh.close().catch(() => {});
        return;
      }
      const received = receive(fresh, message);
      if (!received) return;
      const task = received.finally(() => inFlight.delete(task));
      inFlight.add(task);
    });
    channel = fresh;
    consumerTag = reply.consumerTag;
    log.info({ queue: topology.queue, routingKeys }, 'consuming');
  };

  const registration = await broker.onConnect(setup);

  return {
    topology,
    async stop() {
      stopping = true;
      gathered?.();
      registration.unregister();
      const current = channel;
      if (current && consumerTag) await current.cancel(consumerTag).catch(() => {});
      await Promise.allSettled([...inFlight]);
      channel = undefined;
      await current?.close().catch(() => {});
    },
  };
}

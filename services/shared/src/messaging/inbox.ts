import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { Orm } from '../db/index.ts';
import type { Broker } from './broker.ts';
import { openConsumerChannel } from './consumer-channel.ts';
import { InvalidEventError, parseEvent, type EventOf, type EventType } from './contracts.ts';
import { createDeadLetterer } from './dead-letter.ts';
import { createInboxApplier, type Delivery } from './inbox-apply.ts';
import { createBatcher } from './inbox-batching.ts';
import type { ServiceEntityManager } from './outbox.ts';
import { consumerTopology, DEFAULT_RETRY_DELAYS_MS, type ConsumerTopology } from './topology.ts';

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
  /**
   * Routing keys an earlier version bound this queue to and this one no longer consumes: unbound
   * at start, so their events stop arriving here (where they would be dead-lettered as unexpected).
   */
  retiredRoutingKeys?: readonly string[];
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
 * waiting messages share that transaction). The message is acked only after commit. A handler
 * error sends a copy to the next retry queue (or, after the last, the dead-letter queue) and acks
 * only once the broker confirmed that copy; a malformed or schema-invalid message goes to the
 * dead-letter queue at once. Channel and consumer are re-created after a reconnect, or when their
 * channel alone closes.
 *
 * The parts: `inbox-apply.ts` (the transactions), `inbox-batching.ts` (gathering deliveries into
 * batches), `consumer-channel.ts` (the channel and its recovery), `topology.ts` (the queues).
 */
export async function createConsumer<T extends EventType>(options: ConsumerOptions<T>): Promise<Consumer> {
  const { broker, orm, name, routingKeys, handler, batchHandler, batchSize = 1, gatherMs = 0 } = options;
  const topology = consumerTopology(name, options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS);
  const log = options.logger.child({ component: 'consumer', consumer: name });
  const deadLetterer = createDeadLetterer({ broker, topology, logger: log });
  const applier = createInboxApplier({ orm, name, handler, batchHandler, deadLetterer, log });
  const accepted = new Set<string>(routingKeys);

  /** The delivery's event, or undefined once a malformed or unexpected one is dead-lettered. */
  const parse = async (from: Channel, message: ConsumeMessage): Promise<Delivery<T> | undefined> => {
    try {
      const event = parseEvent(message.content) as EventOf<T>;
      if (!accepted.has(event.type))
        throw new InvalidEventError('schema_invalid', `unexpected event type ${event.type}`);
      return { from, message, event };
    } catch (error) {
      await deadLetterer.reject(from, message, error as InvalidEventError);
      return undefined;
    }
  };

  const batcher = batchSize > 1 ? createBatcher({ batchSize, gatherMs, parse, applier }) : undefined;
  const channel = await openConsumerChannel({
    broker,
    topology,
    routingKeys,
    retiredRoutingKeys: options.retiredRoutingKeys ?? [],
    prefetch: options.prefetch ?? Math.max(16, 2 * batchSize),
    log,
    onMessage: (from, message) =>
      batcher
        ? batcher.receive(from, message)
        : parse(from, message).then((delivery) => (delivery ? applier.applyOne(delivery) : undefined)),
  });

  return {
    topology,
    async stop() {
      batcher?.stop();
      await channel.stop();
    },
  };
}

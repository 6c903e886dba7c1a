import type { Channel } from 'amqplib';

/** Delays between tries of a failing message: three retries, then the dead-letter queue. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000];

/** How many times a message has already been retried; set on each retry copy. */
export const RETRY_COUNT_HEADER = 'x-retry-count';

/** Routing keys on a consumer's dead-letter exchange. */
const DLQ_KEY = 'dlq';
const REQUEUE_KEY = 'requeue';

/**
 * The names of one consumer's queues. With name `payment.order-created`:
 * - `payment.order-created`: the work queue, bound to the event exchange with the consumer's keys;
 * - `payment.order-created.dlx`: its direct dead-letter exchange;
 * - `payment.order-created.dlq`: the dead-letter queue (key `dlq` on the dlx);
 * - `payment.order-created.retry.<ms>`: one parking queue per delay (key `retry.<ms>`) whose
 *   messages expire after `<ms>` and dead-letter back to the work queue (key `requeue`).
 */
export interface ConsumerTopology {
  queue: string;
  deadLetterExchange: string;
  deadLetterQueue: string;
  /** Routing key on `deadLetterExchange` that reaches the dead-letter queue. */
  deadLetterKey: string;
  retries: readonly { delayMs: number; queue: string; routingKey: string }[];
}

/** Names the queues of consumer `name` (pure: no broker involved). */
export function consumerTopology(
  name: string,
  retryDelaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS,
): ConsumerTopology {
  for (const delay of retryDelaysMs) {
    if (!Number.isInteger(delay) || delay <= 0)
      throw new RangeError(`retry delay must be a positive integer, got ${delay}`);
  }
  return {
    queue: name,
    deadLetterExchange: `${name}.dlx`,
    deadLetterQueue: `${name}.dlq`,
    deadLetterKey: DLQ_KEY,
    retries: retryDelaysMs.map((delayMs) => ({
      delayMs,
      queue: `${name}.retry.${delayMs}`,
      routingKey: `retry.${delayMs}`,
    })),
  };
}

/**
 * Quorum queue arguments. `at-least-once` makes the broker keep a message until the dead-letter
 * target confirmed it (the default strategy may drop it); it requires `reject-publish`.
 */
function quorumArguments(deadLetterExchange?: string, deadLetterKey?: string): Record<string, unknown> {
  if (!deadLetterExchange) return { 'x-queue-type': 'quorum' };
  return {
    'x-queue-type': 'quorum',
    'x-dead-letter-exchange': deadLetterExchange,
    'x-dead-letter-routing-key': deadLetterKey,
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
  };
}

/** Declares the durable topic exchange events are published to. Idempotent. */
export async function assertEventExchange(channel: Channel, exchange: string): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
}

/**
 * Declares a consumer's work queue, dead-letter exchange and queue and retry queues, and binds
 * the work queue to `routingKeys` on `exchange`; unbinds `retiredRoutingKeys`, keys the queue
 * was bound to by an earlier version (unbinding a key that is not bound is a no-op). Idempotent;
 * but queue arguments cannot change in place, so a changed topology needs its old queues deleted
 * first.
 */
export async function assertConsumerTopology(
  channel: Channel,
  exchange: string,
  topology: ConsumerTopology,
  routingKeys: readonly string[],
  retiredRoutingKeys: readonly string[] = [],
): Promise<void> {
  const { queue, deadLetterExchange: dlx, deadLetterQueue, retries } = topology;
  await assertEventExchange(channel, exchange);
  await channel.assertExchange(dlx, 'direct', { durable: true });

  await channel.assertQueue(deadLetterQueue, { durable: true, arguments: quorumArguments() });
  await channel.bindQueue(deadLetterQueue, dlx, DLQ_KEY);

  // A message the broker itself dead-letters from here (rejected without requeue) lands in the DLQ.
  await channel.assertQueue(queue, { durable: true, arguments: quorumArguments(dlx, DLQ_KEY) });
  await channel.bindQueue(queue, dlx, REQUEUE_KEY);
  for (const key of routingKeys) await channel.bindQueue(queue, exchange, key);
  for (const key of retiredRoutingKeys) await channel.unbindQueue(queue, exchange, key);

  for (const retry of retries) {
    await channel.assertQueue(retry.queue, {
      durable: true,
      arguments: { ...quorumArguments(dlx, REQUEUE_KEY), 'x-message-ttl': retry.delayMs },
    });
    await channel.bindQueue(retry.queue, dlx, retry.routingKey);
  }
}

/** Deletes a consumer's queues and dead-letter exchange (tests, decommissioning). */
export async function deleteConsumerTopology(channel: Channel, topology: ConsumerTopology): Promise<void> {
  for (const name of [
    topology.queue,
    topology.deadLetterQueue,
    ...topology.retries.map((retry) => retry.queue),
  ]) {
    await channel.deleteQueue(name);
  }
  await channel.deleteExchange(topology.deadLetterExchange);
}

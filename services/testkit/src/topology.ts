import { deleteConsumerTopology, type ConsumerTopology } from '@shop/shared';

/** An amqplib channel, as the service kit's topology functions take it. */
type Channel = Parameters<typeof deleteConsumerTopology>[0];

/** What a test declared on RabbitMQ for one run and must delete again. */
export interface TestTopology {
  exchange: string;
  /** Consumers' queues, retry queues and dead-letter exchanges. */
  consumers?: Iterable<ConsumerTopology>;
  /** Plain queues, such as a probe bound to the exchange. */
  queues?: Iterable<string>;
}

/** Deletes a test's per-run queues and then its exchange: nothing of a run outlives it on the broker. */
export async function deleteTestTopology(channel: Channel, topology: TestTopology): Promise<void> {
  for (const consumer of topology.consumers ?? []) await deleteConsumerTopology(channel, consumer);
  for (const queue of topology.queues ?? []) await channel.deleteQueue(queue);
  await channel.deleteExchange(topology.exchange);
}

import { connect } from 'amqplib';
import { deleteConsumerTopology, type ConsumerTopology } from '@shop/shared';
import { testServerUrls } from './servers.ts';

/** An amqplib channel, as the service kit's topology functions take it. */
type Channel = Parameters<typeof deleteConsumerTopology>[0];

/** What a test declared on RabbitMQ for one run and must delete again. */
export interface TestTopology {
  exchange: string;
  /** Consumers' queues, retry queues and dead-letter exchanges (replicas may name one twice). */
  consumers?: Iterable<ConsumerTopology>;
  /** Plain queues, such as a probe bound to the exchange. */
  queues?: Iterable<string>;
}

/** Deletes a test's per-run queues and then its exchange: nothing of a run outlives it on the broker. */
export async function deleteTestTopology(channel: Channel, topology: TestTopology): Promise<void> {
  const consumers = new Map([...(topology.consumers ?? [])].map((consumer) => [consumer.queue, consumer]));
  for (const consumer of consumers.values()) await deleteConsumerTopology(channel, consumer);
  for (const queue of topology.queues ?? []) await channel.deleteQueue(queue);
  await channel.deleteExchange(topology.exchange);
}

/**
 * `deleteTestTopology` over a connection of its own to the shared RabbitMQ (`RABBITMQ_URL` of
 * the environment): it works after the services closed theirs, and when a test pointed them at
 * a proxy that is down.
 */
export async function deleteTestTopologyOnBroker(topology: TestTopology): Promise<void> {
  const connection = await connect(testServerUrls().RABBITMQ_URL);
  try {
    await deleteTestTopology(await connection.createChannel(), topology);
  } finally {
    await connection.close();
  }
}

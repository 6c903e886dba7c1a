import { connect, type ConsumeMessage } from 'amqplib';
import type { EventEnvelope } from '@shop/shared';
import { testServerUrls } from './servers.ts';
import { deleteTestTopology, type TestTopology } from './topology.ts';

/**
 * A test's own connection to a suite's event exchange, declared here before any service runs:
 * it publishes as the services' relays do and records what they publish with probes.
 */
export async function openTestExchange(exchange: string) {
  const connection = await connect(testServerUrls().RABBITMQ_URL);
  const channel = await connection.createConfirmChannel();
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const probes: string[] = [];
  return {
    channel,
    /** Publishes like the services' relays: persistent, messageId = event id, confirmed. */
    publish: async (...events: EventEnvelope[]) => {
      for (const event of events) {
        channel.publish(exchange, event.type, Buffer.from(JSON.stringify(event)), {
          persistent: true,
          messageId: event.id,
          contentType: 'application/json',
        });
      }
      await channel.waitForConfirms();
    },
    /**
     * Queue `queue` bound to `routingKey`, recording every message from now on. Bound before a
     * service publishes, it makes the service's events routable (they are published `mandatory`).
     */
    probe: async (queue: string, routingKey: string): Promise<ConsumeMessage[]> => {
      await channel.assertQueue(queue, { durable: false });
      await channel.bindQueue(queue, exchange, routingKey);
      probes.push(queue);
      const received: ConsumeMessage[] = [];
      await channel.consume(queue, (message) => message && received.push(message), { noAck: true });
      return received;
    },
    /** Deletes the probes, the services' `consumers` and the exchange, and disconnects. */
    close: async (consumers: TestTopology['consumers'] = []) => {
      await deleteTestTopology(channel, { exchange, consumers, queues: probes });
      await connection.close();
    },
  };
}

export type TestExchange = Awaited<ReturnType<typeof openTestExchange>>;

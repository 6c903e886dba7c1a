import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { Broker } from './broker.ts';
import type { EventType } from './contracts.ts';
import { assertConsumerTopology, type ConsumerTopology } from './topology.ts';

interface ConsumerChannelOptions {
  broker: Broker;
  topology: ConsumerTopology;
  routingKeys: readonly EventType[];
  retiredRoutingKeys: readonly string[];
  prefetch: number;
  log: Logger;
  /** Called for each delivery; a returned promise is awaited by `stop()`. */
  onMessage: (from: Channel, message: ConsumeMessage) => Promise<void> | undefined;
}

export interface ConsumerChannel {
  /** Stops taking messages; deliveries in flight finish (and are settled) before it resolves. */
  stop(): Promise<void>;
}

/**
 * Keeps one consuming channel open on the consumer's queue: declared with its topology after
 * every (re)connect, and opened again when the channel alone closes (a broker-side channel error
 * or a deleted queue), since amqplib's recovery restores connections but not channels.
 */
export async function openConsumerChannel(options: ConsumerChannelOptions): Promise<ConsumerChannel> {
  const { broker, topology, routingKeys, retiredRoutingKeys, prefetch, log, onMessage } = options;
  const inFlight = new Set<Promise<void>>();
  let channel: Channel | undefined;
  let consumerTag: string | undefined;
  let stopping = false;
  let settingUp = 0;

  const reopen = () => {
    // A reconnect may already have set up a new channel (or be doing so) in the meantime.
    if (stopping || channel || settingUp > 0) return;
    registration
      .rerun()
      .catch((error: unknown) => log.warn({ err: error }, 'cannot reopen the consumer channel'));
  };

  const open = async (connection: ChannelModel) => {
    const fresh = await connection.createChannel();
    fresh.on('error', (error: Error) => log.warn({ err: error }, 'consumer channel error'));
    fresh.on('close', () => {
      if (channel !== fresh) return;
      channel = undefined;
      // If only this channel closed, nothing else reopens it; if the connection went, rerun()
      // is a no-op and the reconnect sets everything up again.
      if (!stopping) setTimeout(reopen, 1_000).unref();
    });
    await fresh.prefetch(prefetch);
    await assertConsumerTopology(fresh, broker.exchange, topology, routingKeys, retiredRoutingKeys);
    const reply = await fresh.consume(topology.queue, (message) => {
      if (!message) {
        // The broker cancelled us (queue deleted): closing the channel leads to reopen(), which redeclares.
        fresh.close().catch(() => {});
        return;
      }
      const received = onMessage(fresh, message);
      if (!received) return;
      const task = received.finally(() => inFlight.delete(task));
      inFlight.add(task);
    });
    channel = fresh;
    consumerTag = reply.consumerTag;
    log.info({ queue: topology.queue, routingKeys }, 'consuming');
  };

  const registration = await broker.onConnect(async (connection) => {
    if (stopping) return;
    settingUp += 1;
    try {
      await open(connection);
    } finally {
      settingUp -= 1;
    }
  });

  return {
    async stop() {
      stopping = true;
      registration.unregister();
      const current = channel;
      if (current && consumerTag) await current.cancel(consumerTag).catch(() => {});
      await Promise.allSettled([...inFlight]);
      channel = undefined;
      await current?.close().catch(() => {});
    },
  };
}

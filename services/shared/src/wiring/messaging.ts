import {
  createBroker,
  createConsumer,
  createOutboxRelay,
  type Broker,
  type Consumer,
  type ConsumerOptions,
  type OutboxRelay,
  type OutboxRelayOptions,
} from '../messaging/index.ts';
import type { EventType } from '../messaging/contracts.ts';
import type { ServiceKit } from './kit.ts';

/** How `connectBroker` reports the broker on `/ready`. */
export interface BrokerCapabilityOptions {
  /**
   * Whether `/ready` fails without RabbitMQ (default true). A service whose requests don't need
   * the broker (its events wait in the outbox or the queue meanwhile) reports degraded instead.
   */
  critical?: boolean;
}

/**
 * Connects to RabbitMQ on `kit.options.exchange` (see `createBroker`: it returns at once and
 * heals itself); `/ready` checks it and shutdown closes it.
 */
export async function connectBroker(
  kit: ServiceKit,
  { critical = true }: BrokerCapabilityOptions = {},
): Promise<Broker> {
  const broker = await createBroker({
    url: kit.config.RABBITMQ_URL,
    logger: kit.logger,
    exchange: kit.options.exchange,
    connectionName: kit.service,
  });
  kit.addReadiness({ name: 'rabbitmq', critical, check: () => broker.check() });
  kit.addCloser('rabbitmq', () => broker.close());
  return broker;
}

/** Starts publishing the outbox (see `createOutboxRelay`); shutdown stops it. */
export function startOutboxRelay(kit: ServiceKit, options: Omit<OutboxRelayOptions, 'logger'>): OutboxRelay {
  const relay = createOutboxRelay({ ...options, logger: kit.logger });
  relay.start();
  kit.addCloser('outbox relay', () => relay.stop());
  return relay;
}

/** `createConsumer`'s options, with the queue named by its own part and the logger and retries from the kit. */
export interface ConsumerCapabilityOptions<T extends EventType> extends Omit<
  ConsumerOptions<T>,
  'name' | 'logger' | 'retryDelaysMs'
> {
  /** The queue's own part: the queue (and inbox key) is `kit.queue(queue)`, e.g. `payment.orders`. */
  queue: string;
}

/**
 * Starts consuming (see `createConsumer`) into `<queuePrefix>.<queue>`, retrying with
 * `kit.options.retryDelaysMs`; shutdown stops it, and the handlers in flight finish first.
 */
export async function startConsumer<T extends EventType>(
  kit: ServiceKit,
  { queue, ...options }: ConsumerCapabilityOptions<T>,
): Promise<Consumer> {
  const name = kit.queue(queue);
  const consumer = await createConsumer({
    ...options,
    name,
    logger: kit.logger,
    retryDelaysMs: kit.options.retryDelaysMs,
  });
  kit.addCloser(`consumer ${name}`, () => consumer.stop());
  return consumer;
}

import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type ChannelModel, type Options, type RecoveringChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { ConfirmPublisher, PublishError } from './confirm-publisher.ts';
import { DEFAULT_EXCHANGE, routingKeyOf, type EventEnvelope } from './contracts.ts';
import { assertEventExchange } from './topology.ts';

export { PublishError, type PublishFailure } from './confirm-publisher.ts';

const CLOSE_TIMEOUT_MS = 5_000;

/** Runs on every (re)connect with the fresh connection: declare topology, open channels, consume. */
export type BrokerSetup = (connection: ChannelModel) => Promise<void>;

/** A registered setup; `rerun()` repeats it now (e.g. after its channel alone closed). */
export interface BrokerRegistration {
  rerun(): Promise<void>;
  unregister(): void;
}

export interface BrokerOptions {
  /** `RABBITMQ_URL`. */
  url: string;
  logger: Logger;
  /** Topic exchange for events; `shop.events` unless a test isolates itself. */
  exchange?: string;
  /** Shown in the RabbitMQ management UI, e.g. the service name. */
  connectionName?: string;
  /** Reconnect backoff: from 100 ms doubling to 5 s, forever. */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /**
   * A connection attempt the broker leaves without an answer this long fails and is tried again
   * (default 10 s); without it, a handshake the broker stalls would wait for ever.
   */
  connectTimeoutMs?: number;
  /** A publish not confirmed within this fails (default 10 s), so no caller waits forever. */
  publishTimeoutMs?: number;
}

/** A RabbitMQ connection that heals itself; see `createBroker`. */
export interface Broker {
  readonly exchange: string;
  /** Publishes an event persistently to the exchange; resolves once the broker confirmed it. */
  publish(envelope: EventEnvelope): Promise<void>;
  /** Publishes raw bytes with confirm and `mandatory` (retry and dead-letter copies). */
  publishRaw(exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void>;
  /** Runs `setup` now if connected (its error rejects and unregisters it) and after every reconnect. */
  onConnect(setup: BrokerSetup): Promise<BrokerRegistration>;
  /** Resolves once connected and set up. */
  waitForConnect(): Promise<void>;
  isConnected(): boolean;
  /** Throws unless the broker answers; for `/ready`. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects to RabbitMQ with automatic recovery and returns at once, without waiting for the
 * broker: a service starts (and keeps its outbox) while RabbitMQ is down. After each reconnect
 * the event exchange, the publishing confirm channel and every `onConnect` setup are re-created,
 * because amqplib's recovery restores the connection but not its channels.
 * Publishing while disconnected fails immediately with `PublishError('unavailable')`.
 */
export async function createBroker(options: BrokerOptions): Promise<Broker> {
  const { logger, reconnect = {} } = options;
  const exchange = options.exchange ?? DEFAULT_EXCHANGE;
  const timeoutMs = options.publishTimeoutMs ?? 10_000;
  const log = logger.child({ component: 'broker' });
  const setups: BrokerSetup[] = [];
  let model: ChannelModel | undefined;
  let active: ConfirmPublisher | undefined;
  let opening: Promise<ConfirmPublisher> | undefined;

  const openPublisher = async (connection: ChannelModel): Promise<ConfirmPublisher> => {
    const channel = await connection.createConfirmChannel();
    channel.on('error', (error: Error) => log.warn({ err: error }, 'publishing channel error'));
    await assertEventExchange(channel, exchange);
    return new ConfirmPublisher(channel, timeoutMs);
  };

  const getPublisher = (): Promise<ConfirmPublisher> => {
    if (!model) return Promise.reject(new PublishError('unavailable', 'RabbitMQ is not connected'));
    // A channel error (e.g. a deleted exchange) closes only that channel: open another on demand.
    if (active && !active.closed) return Promise.resolve(active);
    opening ??= openPublisher(model)
      .then((fresh) => (active = fresh))
      .catch((error: unknown) => {
        throw new PublishError('unavailable', 'cannot open a publishing channel', error);
      })
      .finally(() => (opening = undefined));
    return opening;
  };

  const connection: RecoveringChannelModel = await connect(options.url, {
    clientProperties: { connection_name: options.connectionName ?? 'shop' },
    // Without it Nagle's algorithm holds a small frame (an ack, a lone publish) until the broker's
    // delayed ACK (~40 ms) whenever an earlier frame is unacknowledged: about that much per hop.
    noDelay: true,
    // amqplib's socket timeout, cleared once the connection is open: it bounds the handshake alone.
    timeout: options.connectTimeoutMs ?? 10_000,
    recovery: {
      waitForConnect: false,
      initialDelay: reconnect.initialDelayMs ?? 100,
      maxDelay: reconnect.maxDelayMs ?? 5_000,
      maxRetries: Infinity,
      setup: async (fresh: ChannelModel) => {
        const nextPublisher = await openPublisher(fresh);
        // Indexing (not for...of over a copy) also runs setups registered while this one runs.
        for (let index = 0; index < setups.length; index += 1) await setups[index]?.(fresh);
        // Set synchronously after the last setup, so a later onConnect() sees the model and runs itself.
        model = fresh;
        active = nextPublisher;
      },
    },
  });
  connection.on('connect', () => log.info('connected to RabbitMQ'));
  connection.on('disconnect', (error: Error) => {
    model = undefined;
    active = undefined;
    log.warn({ err: error }, 'lost the RabbitMQ connection, reconnecting');
  });
  connection.on('connect-failed', (error: Error) => log.warn({ err: error }, 'cannot connect to RabbitMQ'));
  connection.on('error', (error: Error) => log.warn({ err: error }, 'RabbitMQ connection error'));

  const publishRaw: Broker['publishRaw'] = async (target, routingKey, content, publishOptions) => {
    const current = await getPublisher();
    await current.publish(target, routingKey, content, publishOptions);
  };

  return {
    exchange,
    publish: (envelope) =>
      publishRaw(exchange, routingKeyOf(envelope.type), Buffer.from(JSON.stringify(envelope)), {
        persistent: true,
        messageId: envelope.id,
        type: envelope.type,
        correlationId: envelope.correlationId,
        contentType: 'application/json',
        timestamp: Math.floor(Date.parse(envelope.occurredAt) / 1000),
      }),
    publishRaw,
    async onConnect(setup) {
      setups.push(setup);
      const unregister = () => {
        const index = setups.indexOf(setup);
        if (index >= 0) setups.splice(index, 1);
      };
      const rerun = async () => {
        if (model) await setup(model);
      };
      try {
        await rerun();
      } catch (error) {
        unregister();
        throw error;
      }
      return { rerun, unregister };
    },
    async waitForConnect() {
      await connection.waitForConnect();
    },
    isConnected: () => model !== undefined,
    async check() {
      const current = await getPublisher();
      await current.channel.checkExchange(exchange);
    },
    async close() {
      const current = model;
      model = undefined;
      active = undefined;
      // amqplib's close waits for the broker's close-ok forever when the socket dies right after
      // the request; the connection's own 'close' event (or a timeout) ends the wait instead.
      const abort = new AbortController();
      await Promise.race([
        connection.close(),
        ...(current ? [once(current, 'close', { signal: abort.signal })] : []),
        sleep(CLOSE_TIMEOUT_MS, undefined, { signal: abort.signal }),
      ]).catch(() => {});
      abort.abort();
    },
  };
}

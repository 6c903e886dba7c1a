import { randomInt } from 'node:crypto';
import { connect } from 'amqplib';
import type { Logger } from 'pino';
import {
  createEvent,
  loadConfig,
  type CancelReason,
  type ConsumerTopology,
  type EventData,
  type EventEnvelope,
} from '@shop/shared';
import {
  afterSentinel,
  deleteTestTopology,
  eventually,
  recordingLogger,
  testDatabaseName,
  testEventNames,
  testLogger,
  type Sentinel,
} from '@shop/testkit';
import { notificationConfigSchema, type NotificationConfig } from '../src/config.ts';
import { Notification, OrderSummary, Recipient } from '../src/db/entities.ts';
import { buildNotification } from '../src/wiring.ts';
import { startFakeBotApi } from './fake-bot-api.ts';

export const BOT_TOKEN = '123456:test-token';

/**
 * One suite's world: its own database, event exchange and consumer queues (named after the
 * run), a fake Bot API, and any number of notification services on them (replicas of one).
 */
export async function createRig(suite: string, env: Record<string, string> = {}) {
  const names = {
    dbName: testDatabaseName(`notification_${suite}`),
    ...testEventNames(`notification-${suite}`),
  };
  const telegram = await startFakeBotApi();
  const config = loadConfig(notificationConfigSchema, {
    ...process.env,
    TELEGRAM_API_ROOT: telegram.url,
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_MAX_ATTEMPTS: '3',
    ...env,
  });
  const admin = await connect(config.RABBITMQ_URL);
  const channel = await admin.createConfirmChannel();
  await channel.assertExchange(names.exchange, 'topic', { durable: true });
  const instances: Awaited<ReturnType<typeof buildNotification>>[] = [];
  const topologies = new Map<string, ConsumerTopology>();

  /** Starts a replica; `overrides` change its own settings only (e.g. another Bot API). */
  const start = async (logger: Logger = testLogger(), overrides: Partial<NotificationConfig> = {}) => {
    const service = await buildNotification({ ...config, ...overrides }, logger, {
      ...names,
      retryDelaysMs: [100, 200],
      retryBaseDelayMs: 50,
      pollIntervalMs: 100,
      // Replicas of one rig share their pace; other suites (same bot token) do not.
      keyPrefix: `${names.queuePrefix}:`,
    });
    instances.push(service);
    for (const consumer of service.consumers) topologies.set(consumer.topology.queue, consumer.topology);
    await service.broker.waitForConnect();
    return service;
  };

  /** Publishes like the other services' relays do: persistent, messageId = event id, confirmed. */
  const publish = async (...events: EventEnvelope[]) => {
    for (const event of events) {
      channel.publish(names.exchange, event.type, Buffer.from(JSON.stringify(event)), {
        persistent: true,
        messageId: event.id,
        contentType: 'application/json',
      });
    }
    await channel.waitForConfirms();
  };

  const em = () => {
    const [first] = instances;
    if (!first) throw new Error('start an instance first');
    return first.orm.em.fork();
  };

  const close = async () => {
    for (const instance of instances.splice(0)) for (const closer of instance.closers) await closer.close();
    await deleteTestTopology(channel, { exchange: names.exchange, consumers: topologies.values() });
    await admin.close();
    await telegram.close();
  };

  /**
   * A buyer of its own whose chat, order and outcome go down all three queues behind what the
   * test published; handled once the sender has sent its message (see `afterSentinel`).
   */
  const sentinel = (): Sentinel => {
    const user = buyer();
    return {
      send: () => publish(user.linked, user.order, user.paid()),
      handled: () => {
        if (telegram.callsTo(user.chatId).length === 0) throw new Error('the sentinel is not sent yet');
      },
    };
  };

  return {
    config,
    names,
    telegram,
    start,
    publish,
    sentinel,
    close,
    notification: (eventId: string) => em().findOneOrFail(Notification, { eventId }),
    /** Waits until the notification has left `pending`/`sending`, then returns it. */
    settled: (eventId: string) =>
      eventually(async () => {
        const row = await em().findOneOrFail(Notification, { eventId });
        if (row.status === 'pending' || row.status === 'sending') throw new Error(`still ${row.status}`);
        return row;
      }),
    recipient: (userId: string) => em().findOneOrFail(Recipient, { userId }),
    /** Waits until the chats and order summaries of `buyers` are all stored. */
    projected: (buyers: { userId: string; orderId: number }[]) =>
      eventually(async () => {
        const chats = await em().count(Recipient, { userId: { $in: buyers.map((one) => one.userId) } });
        const orders = await em().count(OrderSummary, { orderId: { $in: buyers.map((one) => one.orderId) } });
        if (chats + orders < 2 * buyers.length)
          throw new Error(`${chats} chats and ${orders} orders stored so far`);
      }),
  };
}

export type Rig = Awaited<ReturnType<typeof createRig>>;

/** A buyer with a linked chat, and the events of one purchase of theirs. */
export function buyer({
  languageCode = 'en',
  userId = crypto.randomUUID(),
  chatId = randomInt(1, 2 ** 40),
} = {}) {
  const orderId = randomInt(1, 2 ** 40);
  const linked = createEvent('user.telegram_linked', {
    userId,
    telegramId: chatId,
    ...(languageCode ? { languageCode } : {}),
  });
  const order = createEvent('order.created', {
    orderId,
    userId,
    items: [
      { productId: 1, name: 'Green tea', unitPriceCents: 450, quantity: 2 },
      { productId: 2, name: 'Teapot', unitPriceCents: 2_990, quantity: 1 },
    ],
    totalCents: 3_890,
    currency: 'EUR',
  });
  const payment = { paymentId: crypto.randomUUID(), orderId, userId, amountCents: 3_890, currency: 'EUR' };
  return {
    userId,
    chatId,
    orderId,
    linked,
    order,
    /** The order is paid: it carries the order's lines and total, so it needs no order.created. */
    paid: () => createEvent('order.paid', order.data),
    /** The payment failed; without the order's lines, so it waits for order.created. */
    failed: (reason = 'card declined') => createEvent('payment.failed', { ...payment, reason }),
    /** The order is cancelled; its lines come without a total, so it waits for order.created. */
    cancelled: (reason: CancelReason = 'buyer', shortages?: EventData<'stock.rejected'>['shortages']) =>
      createEvent('order.cancelled', { orderId, userId, reason, ...(shortages ? { shortages } : {}) }),
    refunded: () => createEvent('payment.refunded', payment),
  };
}

export { afterSentinel, eventually, recordingLogger };

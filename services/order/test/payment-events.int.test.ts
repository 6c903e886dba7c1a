import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, InboxMessage, type EventEnvelope } from '@shop/shared';
import { eventually } from '@shop/testkit';
import { request, startOrder, type OrderBody, type TestOrder } from './harness.ts';

let order: TestOrder;
let connection: ChannelModel;
let channel: Channel;
let tea: number;
const published: ConsumeMessage[] = [];

beforeAll(async () => {
  order = await startOrder('events');
  tea = (await order.catalog.add({ name: 'Tea', priceCents: 450, currency: 'EUR', stock: 1_000 }))[0]!.id;
  connection = await connect(order.config.RABBITMQ_URL);
  channel = await connection.createChannel();
  // A probe on the service's exchange sees every order.created the relay publishes.
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, order.names.exchange, 'order.created');
  await channel.consume(queue, (message) => message && published.push(message), { noAck: true });
});
afterAll(async () => {
  await connection.close();
  await order.close();
});

async function placeOrder() {
  const buyer = await order.user();
  const res = await request(
    order.app,
    'POST',
    '/orders',
    { items: [{ productId: tea, quantity: 2 }] },
    buyer.headers,
  );
  expect(res.status).toBe(201);
  return { buyer, created: (await res.json()) as OrderBody };
}

function paymentOutcome(type: 'payment.succeeded' | 'payment.failed', orderId: number, userId: string) {
  const common = { paymentId: crypto.randomUUID(), orderId, userId, amountCents: 900, currency: 'EUR' };
  return type === 'payment.succeeded'
    ? createEvent(type, common)
    : createEvent(type, { ...common, reason: 'declined' });
}

/** Publishes and waits until the consumer has committed the message (its inbox row exists). */
async function deliver(event: EventEnvelope) {
  await order.broker.publish(event);
  await eventually(async () => {
    const seen = await order.orm.em
      .fork()
      .count(InboxMessage, { consumer: `${order.names.queuePrefix}.payments`, messageId: event.id });
    expect(seen).toBe(1);
  });
}

async function statusOf(created: OrderBody, headers: Record<string, string>) {
  const res = await request(order.app, 'GET', `/orders/${created.id}`, undefined, headers);
  return ((await res.json()) as OrderBody).status;
}

describe('order.created', () => {
  it('is published once the order commits, with the contract envelope and the order as data', async () => {
    const { buyer, created } = await placeOrder();
    const message = await eventually(async () => {
      const found = published.find(
        (m) =>
          (JSON.parse(m.content.toString()) as EventEnvelope<'order.created'>).data.orderId === created.id,
      );
      expect(found).toBeDefined();
      return found!;
    });
    const envelope = JSON.parse(message.content.toString()) as EventEnvelope<'order.created'>;
    expect(envelope).toStrictEqual({
      id: expect.any(String),
      type: 'order.created',
      occurredAt: expect.any(String),
      correlationId: envelope.id,
      data: { orderId: created.id, userId: buyer.id, items: created.items, totalCents: 900, currency: 'EUR' },
    });
    expect(message.properties.messageId).toBe(envelope.id);
    expect(message.properties.deliveryMode).toBe(2);
    expect(message.fields.routingKey).toBe('order.created');
  });
});

describe('payment outcomes', () => {
  it('marks a pending order paid on payment.succeeded', async () => {
    const { buyer, created } = await placeOrder();
    await deliver(paymentOutcome('payment.succeeded', created.id, buyer.id));
    expect(await statusOf(created, buyer.headers)).toBe('paid');
  });

  it('marks a pending order payment_failed on payment.failed', async () => {
    const { buyer, created } = await placeOrder();
    await deliver(paymentOutcome('payment.failed', created.id, buyer.id));
    expect(await statusOf(created, buyer.headers)).toBe('payment_failed');
  });

  it('ignores a late payment.failed after payment.succeeded, and a duplicate delivery', async () => {
    const { buyer, created } = await placeOrder();
    const succeeded = paymentOutcome('payment.succeeded', created.id, buyer.id);
    await deliver(succeeded);
    await deliver(paymentOutcome('payment.failed', created.id, buyer.id));
    await order.broker.publish(succeeded);
    await deliver(paymentOutcome('payment.succeeded', created.id, buyer.id));
    expect(await statusOf(created, buyer.headers)).toBe('paid');
  });

  it('ignores a late payment.succeeded after payment.failed', async () => {
    const { buyer, created } = await placeOrder();
    await deliver(paymentOutcome('payment.failed', created.id, buyer.id));
    await deliver(paymentOutcome('payment.succeeded', created.id, buyer.id));
    expect(await statusOf(created, buyer.headers)).toBe('payment_failed');
  });

  it('acks outcomes for an unknown order or the wrong user without error: nothing is dead-lettered', async () => {
    const { buyer, created } = await placeOrder();
    await deliver(paymentOutcome('payment.succeeded', 987_654_321, buyer.id));
    await deliver(paymentOutcome('payment.succeeded', created.id, crypto.randomUUID()));
    expect(await statusOf(created, buyer.headers)).toBe('pending');
    const { messageCount } = await channel.checkQueue(order.consumer.topology.deadLetterQueue);
    expect(messageCount).toBe(0);
  });
});

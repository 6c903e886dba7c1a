import { connect, type ConsumeMessage } from 'amqplib';
import { expect } from 'vitest';
import { createEvent, InboxMessage, type EventEnvelope, type EventOf } from '@shop/shared';
import { eventually } from '@shop/testkit';
import { request, type OrderBody, type TestOrder } from './harness.ts';

export interface OrderDetail extends OrderBody {
  statusHistory: { status: string; at: string }[];
  cancelReason?: string;
  cancelNote?: string;
  reservedUntil?: string;
  trackingNote?: string;
  delivery?: { name: string; phone: string; address: string };
}

/** An order as the merchant sees it. */
export interface AdminOrder extends OrderDetail {
  userId: string;
}

type Headers = Record<string, string>;

/**
 * An order's way through a test order service: orders of `tea` (2 × 450 EUR) placed by fresh
 * buyers, the catalog's and payment's answers delivered as events (waiting until the consumer
 * committed each), and a probe on the service's exchange that sees every order.* event the relay
 * publishes.
 */
export async function watchOrders(order: TestOrder, tea: number) {
  const connection = await connect(order.config.RABBITMQ_URL);
  const channel = await connection.createChannel();
  const published: ConsumeMessage[] = [];
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, order.names.exchange, 'order.*');
  await channel.consume(queue, (message) => message && published.push(message), { noAck: true });

  const placeOrder = async (body: object = { items: [{ productId: tea, quantity: 2 }] }) => {
    const buyer = await order.user();
    const res = await request(order.app, 'POST', '/orders', body, buyer.headers);
    expect(res.status).toBe(201);
    return { buyer, created: (await res.json()) as OrderBody };
  };

  const reserved = (orderId: number, userId: string) =>
    createEvent('stock.reserved', {
      orderId,
      userId,
      items: [{ productId: tea, name: 'Tea', unitPriceCents: 450, quantity: 2 }],
      totalCents: 900,
      currency: 'EUR',
    });

  const paymentOutcome = (type: 'payment.succeeded' | 'payment.failed', orderId: number, userId: string) => {
    const common = { paymentId: crypto.randomUUID(), orderId, userId, amountCents: 900, currency: 'EUR' };
    return type === 'payment.succeeded'
      ? createEvent(type, common)
      : createEvent(type, { ...common, reason: 'declined' });
  };

  /** Publishes and waits until the consumer has committed the message (its inbox row exists). */
  const deliver = async (event: EventEnvelope) => {
    await order.broker.publish(event);
    const consumer = event.type.startsWith('stock.') ? 'stock' : 'payments';
    await eventually(async () => {
      const seen = await order.orm.em
        .fork()
        .count(InboxMessage, { consumer: `${order.names.queuePrefix}.${consumer}`, messageId: event.id });
      expect(seen).toBe(1);
    });
  };

  const detailOf = async (created: OrderBody, headers: Headers) => {
    const res = await request(order.app, 'GET', `/orders/${created.id}`, undefined, headers);
    expect(res.status).toBe(200);
    return (await res.json()) as OrderDetail;
  };

  /** The order.* events published about `orderId` so far. */
  const eventsFor = (orderId: number) =>
    published
      .map((message) => JSON.parse(message.content.toString()) as EventOf)
      .filter((event) => 'orderId' in event.data && event.data.orderId === orderId);

  return {
    /** The product the orders are of. */
    tea,
    published,
    channel,
    placeOrder,
    reserved,
    rejected: (orderId: number, userId: string) =>
      createEvent('stock.rejected', {
        orderId,
        userId,
        shortages: [{ productId: tea, name: 'Tea', requested: 2, available: 1 }],
      }),
    paymentOutcome,
    deliver,
    /** A placed order, reserved and paid. */
    async paidOrder(body?: object) {
      const placed = await placeOrder(body);
      await deliver(reserved(placed.created.id, placed.buyer.id));
      await deliver(paymentOutcome('payment.succeeded', placed.created.id, placed.buyer.id));
      return placed;
    },
    detailOf,
    statusOf: async (created: OrderBody, headers: Headers) => (await detailOf(created, headers)).status,
    historyOf: async (created: OrderBody, headers: Headers) =>
      (await detailOf(created, headers)).statusHistory.map((entry) => entry.status),
    eventsFor,
    /** Waits until exactly these order.* events were published about `orderId`. */
    announced: (orderId: number, types: string[]) =>
      eventually(() => expect(eventsFor(orderId).map((event) => event.type)).toEqual(types)),
    cancel: (id: number, headers: Headers, body?: object) =>
      request(order.app, 'POST', `/orders/${id}/cancel`, body, headers),
    close: () => connection.close(),
  };
}

export type OrderFlow = Awaited<ReturnType<typeof watchOrders>>;

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxMessage, type EventEnvelope } from '@shop/shared';
import { eventually, recordingLogger, testLogger } from '@shop/testkit';
import { expireReservations } from '../src/workers/reservation-expiry.ts';
import { request, startOrder, type ErrorBody, type TestOrder } from './harness.ts';
import { watchOrders, type OrderDetail, type OrderFlow } from './order-flow.ts';

const logs = recordingLogger();
let order: TestOrder;
let flow: OrderFlow;

beforeAll(async () => {
  order = await startOrder('events', { logger: logs.logger, ownDatabase: true });
  const tea = (await order.catalog.add({ name: 'Tea', priceCents: 450, currency: 'EUR', stock: 1_000 }))[0]!
    .id;
  flow = await watchOrders(order, tea);
});
afterAll(async () => {
  await flow.close();
  await order.close();
});

const shortages = () => flow.rejected(1, crypto.randomUUID()).data.shortages;

describe('order.created', () => {
  it('is published once the order commits, with the contract envelope and the order as data', async () => {
    const { buyer, created } = await flow.placeOrder();
    await flow.announced(created.id, ['order.created']);
    const message = flow.published.find(
      (m) => (JSON.parse(m.content.toString()) as EventEnvelope<'order.created'>).data.orderId === created.id,
    )!;
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

describe("the catalog's answer", () => {
  it('makes a pending order await payment until the reservation ends, and shows how it got there', async () => {
    const { buyer, created } = await flow.placeOrder();
    const before = Date.now();

    await flow.deliver(flow.reserved(created.id, buyer.id));

    const detail = await flow.detailOf(created, buyer.headers);
    expect(detail.status).toBe('awaiting_payment');
    expect(detail.statusHistory).toEqual([
      { status: 'pending', at: created.createdAt },
      { status: 'awaiting_payment', at: expect.any(String) },
    ]);
    const until = Date.parse(detail.reservedUntil!);
    expect(until).toBeGreaterThanOrEqual(before + 15 * 60_000 - 1_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    expect(detail.cancelReason).toBeUndefined();
  });

  it('cancels a pending order out of stock and announces it with the short lines', async () => {
    const { buyer, created } = await flow.placeOrder();

    await flow.deliver(flow.rejected(created.id, buyer.id));

    const detail = await flow.detailOf(created, buyer.headers);
    expect(detail).toMatchObject({ status: 'cancelled', cancelReason: 'out_of_stock' });
    expect(detail.reservedUntil).toBeUndefined();
    await flow.announced(created.id, ['order.created', 'order.cancelled']);
    expect(flow.eventsFor(created.id)[1]).toMatchObject({
      data: {
        orderId: created.id,
        userId: buyer.id,
        reason: 'out_of_stock',
        items: created.items,
        shortages: shortages(),
      },
    });
  });
});

describe('payment outcomes', () => {
  it('marks an order awaiting payment paid and announces order.paid with its items', async () => {
    const { buyer, created } = await flow.placeOrder();
    await flow.deliver(flow.reserved(created.id, buyer.id));

    await flow.deliver(flow.paymentOutcome('payment.succeeded', created.id, buyer.id));

    expect(await flow.historyOf(created, buyer.headers)).toEqual(['pending', 'awaiting_payment', 'paid']);
    await flow.announced(created.id, ['order.created', 'order.paid']);
    expect(flow.eventsFor(created.id)[1]?.data).toEqual({
      orderId: created.id,
      userId: buyer.id,
      items: created.items,
      totalCents: 900,
      currency: 'EUR',
    });
  });

  it("announces order.paid with the delivery details the buyer gave, for the merchant's alert", async () => {
    const delivery = { name: 'Anna Petrova', phone: '+7 900 000-00-00', address: 'Nevsky 1, St Petersburg' };
    const { buyer, created } = await flow.placeOrder({
      items: [{ productId: flow.tea, quantity: 2 }],
      delivery,
    });
    await flow.deliver(flow.reserved(created.id, buyer.id));

    await flow.deliver(flow.paymentOutcome('payment.succeeded', created.id, buyer.id));

    await flow.announced(created.id, ['order.created', 'order.paid']);
    expect(flow.eventsFor(created.id)[1]?.data).toMatchObject({ orderId: created.id, delivery });
  });

  it('marks a pending order paid when the payment overtakes the reservation, which then changes nothing', async () => {
    const { buyer, created } = await flow.placeOrder();

    await flow.deliver(flow.paymentOutcome('payment.succeeded', created.id, buyer.id));
    await flow.deliver(flow.reserved(created.id, buyer.id));

    expect(await flow.historyOf(created, buyer.headers)).toEqual(['pending', 'paid']);
  });

  it('marks an order payment_failed on payment.failed and announces it', async () => {
    const { buyer, created } = await flow.placeOrder();
    await flow.deliver(flow.reserved(created.id, buyer.id));

    await flow.deliver(flow.paymentOutcome('payment.failed', created.id, buyer.id));

    expect(await flow.statusOf(created, buyer.headers)).toBe('payment_failed');
    await flow.announced(created.id, ['order.created', 'order.payment_failed']);
  });

  it('changes nothing on late, repeated or republished events: one history row and one event each', async () => {
    const { buyer, created } = await flow.placeOrder();
    const reservation = flow.reserved(created.id, buyer.id);
    const succeeded = flow.paymentOutcome('payment.succeeded', created.id, buyer.id);
    await flow.deliver(reservation);
    await flow.deliver(succeeded);

    await order.broker.publish(reservation);
    await order.broker.publish(succeeded);
    await flow.deliver(flow.reserved(created.id, buyer.id));
    await flow.deliver(flow.rejected(created.id, buyer.id));
    await flow.deliver(flow.paymentOutcome('payment.failed', created.id, buyer.id));
    await flow.deliver(flow.paymentOutcome('payment.succeeded', created.id, buyer.id));

    expect(await flow.historyOf(created, buyer.headers)).toEqual(['pending', 'awaiting_payment', 'paid']);
    await flow.announced(created.id, ['order.created', 'order.paid']);
  });

  it('leaves a cancelled order cancelled when its payment succeeds after all', async () => {
    const { buyer, created } = await flow.placeOrder();
    await flow.deliver(flow.reserved(created.id, buyer.id));
    expect((await flow.cancel(created.id, buyer.headers)).status).toBe(200);

    await flow.deliver(flow.paymentOutcome('payment.succeeded', created.id, buyer.id));

    expect(await flow.detailOf(created, buyer.headers)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'buyer',
    });
    await flow.announced(created.id, ['order.created', 'order.cancelled']);
  });

  it('acks events for an unknown order or the wrong user without error: nothing is dead-lettered', async () => {
    const { buyer, created } = await flow.placeOrder();
    await flow.deliver(flow.paymentOutcome('payment.succeeded', 987_654_321, buyer.id));
    await flow.deliver(flow.paymentOutcome('payment.succeeded', created.id, crypto.randomUUID()));
    await flow.deliver(flow.reserved(created.id, crypto.randomUUID()));
    expect(await flow.statusOf(created, buyer.headers)).toBe('pending');
    for (const consumer of order.consumers) {
      const { messageCount } = await flow.channel.checkQueue(consumer.topology.deadLetterQueue);
      expect(messageCount).toBe(0);
    }
  });
});

describe('events that queued up', () => {
  it('are applied together in batches, every order ending where its events lead', async () => {
    const placed = await Promise.all(Array.from({ length: 12 }, () => flow.placeOrder()));
    const logged = logs.lines.length;
    const events = placed.flatMap(({ buyer, created }, i) => [
      flow.reserved(created.id, buyer.id),
      ...(i % 3 === 2
        ? []
        : [flow.paymentOutcome(i % 3 === 0 ? 'payment.succeeded' : 'payment.failed', created.id, buyer.id)]),
    ]);

    // The orders' rows are locked while the events arrive: they pile up and are applied in batches.
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const holding = order.orm.em.fork().transactional(async (tx) => {
      await tx.execute('select id from orders where id in (?) for update', [
        placed.map(({ created }) => created.id),
      ]);
      await Promise.all(events.map((event) => order.broker.publish(event)));
      await eventually(async () => {
        const [row] = await order.orm.em
          .fork()
          .execute<{ waiting: number }[]>(
            `select count(*)::int as waiting from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
          );
        expect(row!.waiting).toBeGreaterThan(0);
      });
      await released;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await holding;

    await eventually(async () => {
      const counted = await order.orm.em
        .fork()
        .count(InboxMessage, { messageId: { $in: events.map((e) => e.id) } });
      expect(counted).toBe(events.length);
    });
    for (const [i, { buyer, created }] of placed.entries()) {
      const outcome = i % 3 === 0 ? 'paid' : i % 3 === 1 ? 'payment_failed' : undefined;
      const history = await flow.historyOf(created, buyer.headers);
      // The two queues race: a payment outcome may come first, and the reservation then changes nothing.
      if (outcome)
        expect([
          ['pending', 'awaiting_payment', outcome],
          ['pending', outcome],
        ]).toContainEqual(history);
      else expect(history).toEqual(['pending', 'awaiting_payment']);
    }
    const rows = await order.orm.em
      .fork()
      .find(InboxMessage, { messageId: { $in: events.map((e) => e.id) } });
    expect(new Set(rows.map((row) => row.receivedAt.getTime())).size).toBeLessThan(rows.length);
    expect(
      logs.lines
        .slice(logged)
        .filter((line) => line.msg === 'batch failed; applying its messages one by one'),
    ).toEqual([]);
  });
});

describe('POST /orders/:id/cancel', () => {
  it.each([
    ['pending', async () => {}],
    ['awaiting payment', async (id: number, userId: string) => flow.deliver(flow.reserved(id, userId))],
  ] as const)("cancels the buyer's own order while %s and announces it", async (_, arrange) => {
    const { buyer, created } = await flow.placeOrder();
    await arrange(created.id, buyer.id);

    const res = await flow.cancel(created.id, buyer.headers);

    expect(res.status).toBe(200);
    const body = (await res.json()) as OrderDetail;
    expect(body).toMatchObject({ id: created.id, status: 'cancelled', cancelReason: 'buyer' });
    expect(body.statusHistory.at(-1)?.status).toBe('cancelled');
    await flow.announced(created.id, ['order.created', 'order.cancelled']);
    expect(flow.eventsFor(created.id)[1]?.data).toEqual({
      orderId: created.id,
      userId: buyer.id,
      reason: 'buyer',
      items: created.items,
    });
  });

  it('answers 409 invalid_transition for a paid or already cancelled order, changing nothing', async () => {
    const paid = await flow.placeOrder();
    await flow.deliver(flow.paymentOutcome('payment.succeeded', paid.created.id, paid.buyer.id));
    const cancelled = await flow.placeOrder();
    expect((await flow.cancel(cancelled.created.id, cancelled.buyer.headers)).status).toBe(200);

    for (const { buyer, created } of [paid, cancelled]) {
      const res = await flow.cancel(created.id, buyer.headers);
      expect(res.status).toBe(409);
      expect(((await res.json()) as ErrorBody).error.code).toBe('invalid_transition');
    }
    expect(await flow.historyOf(paid.created, paid.buyer.headers)).toEqual(['pending', 'paid']);
    expect(await flow.historyOf(cancelled.created, cancelled.buyer.headers)).toEqual([
      'pending',
      'cancelled',
    ]);
  });

  it("answers 404 for someone else's order, as for one that does not exist, and leaves it alone", async () => {
    const { buyer, created } = await flow.placeOrder();
    const stranger = await order.user();

    const theirs = await flow.cancel(created.id, stranger.headers);
    const missing = await flow.cancel(987_654_321, stranger.headers);

    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(((await theirs.json()) as ErrorBody).error.code).toBe(
      ((await missing.json()) as ErrorBody).error.code,
    );
    expect(await flow.statusOf(created, buyer.headers)).toBe('pending');
  });

  it('answers 401 without a token and 400 for an id that is no order number', async () => {
    const { buyer } = await flow.placeOrder();
    expect((await flow.cancel(1, {})).status).toBe(401);
    expect((await request(order.app, 'POST', '/orders/abc/cancel', undefined, buyer.headers)).status).toBe(
      400,
    );
  });
});

describe('reservation expiry', () => {
  const expire = () =>
    order.orm.em.fork().transactional((em) => expireReservations(em, { limit: 1_000, logger: testLogger() }));
  const setReservedUntil = (id: number, sql: string) =>
    order.orm.em.fork().execute(`update orders set reserved_until = ${sql} where id = ?`, [id]);

  it('cancels an order whose reservation ran out unpaid, and only that one', async () => {
    const expired = await flow.placeOrder();
    const current = await flow.placeOrder();
    const paid = await flow.placeOrder();
    for (const { buyer, created } of [expired, current, paid])
      await flow.deliver(flow.reserved(created.id, buyer.id));
    await flow.deliver(flow.paymentOutcome('payment.succeeded', paid.created.id, paid.buyer.id));
    await setReservedUntil(expired.created.id, "now() - interval '1 second'");
    await setReservedUntil(paid.created.id, "now() - interval '1 second'");

    expect(await expire()).toBeGreaterThanOrEqual(1);

    expect(await flow.detailOf(expired.created, expired.buyer.headers)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'expired',
    });
    await flow.announced(expired.created.id, ['order.created', 'order.cancelled']);
    expect(flow.eventsFor(expired.created.id)[1]?.data).toMatchObject({ reason: 'expired' });
    expect(await flow.statusOf(current.created, current.buyer.headers)).toBe('awaiting_payment');
    expect(await flow.statusOf(paid.created, paid.buyer.headers)).toBe('paid');
    // Run again: nothing left to expire, nothing announced twice.
    await expire();
    expect(await flow.historyOf(expired.created, expired.buyer.headers)).toEqual([
      'pending',
      'awaiting_payment',
      'cancelled',
    ]);
  });

  it('marks an order paid when its payment arrives after the reservation ran out but before it was swept', async () => {
    const { buyer, created } = await flow.placeOrder();
    await flow.deliver(flow.reserved(created.id, buyer.id));
    await setReservedUntil(created.id, "now() - interval '1 minute'");

    await flow.deliver(flow.paymentOutcome('payment.succeeded', created.id, buyer.id));

    expect(await flow.statusOf(created, buyer.headers)).toBe('paid');
    await flow.announced(created.id, ['order.created', 'order.paid']);
    // The sweep finds nothing to cancel: the order is paid, not awaiting payment.
    await expire();
    expect(await flow.historyOf(created, buyer.headers)).toEqual(['pending', 'awaiting_payment', 'paid']);
  });
});

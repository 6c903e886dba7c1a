import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, InboxMessage, type EventEnvelope, type EventOf } from '@shop/shared';
import { afterSentinel, eventually, recordingLogger, type Sentinel } from '@shop/testkit';
import { Product, Reservation } from '../src/db/entities.ts';
import { readCacheVersion } from '../src/store/catalog-state.ts';
import type { ProductItem } from '../src/domain/product-views.ts';
import {
  bearer,
  createCategory,
  createProduct,
  get,
  send,
  startCatalog,
  type TestCatalog,
} from './harness.ts';

const logs = recordingLogger();
let catalog: TestCatalog;
let categoryId: number;
let connection: ChannelModel;
let channel: ConfirmChannel;
let probe: string;
/** Every stock.* event the catalog published, in arrival order. */
const announced: EventOf<'stock.reserved' | 'stock.rejected'>[] = [];

beforeAll(async () => {
  // Its own database (other suites' writes don't move the cache version under the assertions),
  // and no periodic version sync: only the stock change's own invalidation can refresh the cache.
  catalog = await startCatalog({
    database: 'catalog_stock',
    logger: logs.logger,
    env: { CATALOG_VERSION_SYNC_MS: '600000' },
  });
  categoryId = await createCategory(catalog);
  // Bound before anything is published: the relay publishes `mandatory`.
  connection = await connect(catalog.config.RABBITMQ_URL);
  channel = await connection.createConfirmChannel();
  probe = `${catalog.events.queuePrefix}.probe`;
  await channel.assertQueue(probe, { durable: false });
  await channel.bindQueue(probe, catalog.events.exchange, 'stock.*');
  await channel.consume(
    probe,
    (message) =>
      message &&
      announced.push(JSON.parse(message.content.toString()) as EventOf<'stock.reserved' | 'stock.rejected'>),
    { noAck: true },
  );
});
afterAll(async () => {
  await channel.deleteQueue(probe);
  await connection.close();
  await catalog.close();
});

const newOrderId = () => randomInt(1, 2 ** 40);
const userId = crypto.randomUUID();
type Line = { productId: number; quantity: number };
const itemsOf = (lines: Line[]) =>
  lines.map((line) => ({ ...line, name: `Product ${line.productId}`, unitPriceCents: 1000 }));

const orderCreated = (orderId: number, lines: Line[]) =>
  createEvent('order.created', {
    orderId,
    userId,
    items: itemsOf(lines),
    totalCents: lines.reduce((sum, line) => sum + line.quantity * 1000, 0),
    currency: 'EUR',
  });
const orderPaid = (orderId: number, lines: Line[]) =>
  createEvent('order.paid', { ...orderCreated(orderId, lines).data });
const orderCancelled = (orderId: number) =>
  createEvent('order.cancelled', { orderId, userId, reason: 'expired' });
const paymentFailed = (orderId: number, lines: Line[]) =>
  createEvent('order.payment_failed', { orderId, userId, items: itemsOf(lines) });

/** Published as the order service's relay does: persistent, messageId = event id, confirmed. */
const publish = (event: EventEnvelope) => catalog.broker.publish(event);

const shown = async (id: number) =>
  ((await (await get(catalog, `/products/${id}`)).json()) as ProductItem).stock;
const units = async (id: number) => {
  const product = await catalog.orm.em.fork().findOneOrFail(Product, { id });
  return { stock: product.stock, reserved: product.reserved };
};
const reservation = (orderId: number) => catalog.orm.em.fork().findOne(Reservation, { orderId });
const announcementsFor = (orderId: number) => announced.filter((event) => event.data.orderId === orderId);
const handled = (eventId: string) =>
  catalog.orm.em
    .fork()
    .count(InboxMessage, { consumer: `${catalog.events.queuePrefix}.orders`, messageId: eventId });

/** Waits until the cache has heard of every committed write. */
async function cacheCaughtUp() {
  const committed = await readCacheVersion(catalog.orm.em.fork());
  await eventually(() => expect(catalog.versions.known).toBeGreaterThanOrEqual(committed));
}

/** Waits until the reservation of `orderId` is in `state`, and the cache knows. */
async function reservationIs(orderId: number, state: Reservation['state']) {
  await eventually(async () => expect((await reservation(orderId))?.state).toBe(state));
  await cacheCaughtUp();
}

/**
 * An order of its own behind what the test published, on the stock consumer's queue; handled
 * once its reservation is announced (see `afterSentinel`).
 */
async function sentinel(): Promise<Sentinel> {
  const { id } = await createProduct(catalog, { categoryId, stock: 1 });
  const orderId = newOrderId();
  return {
    send: () => publish(orderCreated(orderId, [{ productId: id, quantity: 1 }])),
    handled: () => expect(announcementsFor(orderId)).toHaveLength(1),
  };
}

/**
 * Runs `act` (publishing) while this test holds the row locks of `productIds`, and lets go once the
 * consumer waits for them and a moment has passed: what arrives meanwhile piles up in the consumer
 * and is applied in batches, as when events queue up behind a busy catalog.
 */
async function whileProductsLocked(productIds: number[], act: () => Promise<unknown>) {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked = (_pid: number) => {};
  const holder = new Promise<number>((resolve) => (locked = resolve));
  const holding = catalog.orm.em.fork().transactional(async (tx) => {
    await tx.execute('select id from products where id in (?) for update', [productIds]);
    const [row] = await tx.execute<{ pid: number }[]>('select pg_backend_pid() as pid');
    locked(row!.pid);
    await released;
  });
  try {
    const pid = await Promise.race([holder, holding.then(() => Promise.reject(new Error('no lock')))]);
    await act();
    await eventually(async () => {
      const [row] = await catalog.orm.em
        .fork()
        .execute<{ blocked: number }[]>(
          'select count(*)::int as blocked from pg_stat_activity where ?::int = any(pg_blocking_pids(pid))',
          [pid],
        );
      expect(row!.blocked).toBeGreaterThan(0);
    });
    await sleep(200);
  } finally {
    release();
    await holding;
  }
}

describe('stock reserved when an order arrives', () => {
  it('holds every line of the order, announces it, and a cached product shows what is left at once', async () => {
    const [a, b] = [
      await createProduct(catalog, { categoryId, stock: 10 }),
      await createProduct(catalog, { categoryId, stock: 4 }),
    ];
    await get(catalog, `/products/${a.id}`);
    expect((await get(catalog, `/products/${a.id}`)).headers.get('X-Cache')).toBe('HIT');
    const orderId = newOrderId();
    const order = orderCreated(orderId, [
      { productId: a.id, quantity: 3 },
      { productId: b.id, quantity: 4 },
    ]);

    await publish(order);

    await reservationIs(orderId, 'reserved');
    const after = await get(catalog, `/products/${a.id}`);
    expect(after.headers.get('X-Cache')).toBe('MISS');
    expect(((await after.json()) as ProductItem).stock).toBe(7);
    expect(await shown(b.id)).toBe(0);
    expect(await units(a.id)).toEqual({ stock: 10, reserved: 3 });
    await eventually(() => expect(announcementsFor(orderId)).toHaveLength(1));
    expect(announcementsFor(orderId)[0]).toMatchObject({
      type: 'stock.reserved',
      data: order.data,
      correlationId: order.correlationId,
    });
  });

  it('reserves nothing of a multi-line order when one line is short, and names that line', async () => {
    const [a, b] = [
      await createProduct(catalog, { categoryId, stock: 10 }),
      await createProduct(catalog, { categoryId, stock: 2 }),
    ];
    const orderId = newOrderId();

    await publish(
      orderCreated(orderId, [
        { productId: a.id, quantity: 5 },
        { productId: b.id, quantity: 3 },
      ]),
    );

    await reservationIs(orderId, 'rejected');
    await eventually(() => expect(announcementsFor(orderId)).toHaveLength(1));
    expect(announcementsFor(orderId)[0]).toMatchObject({
      type: 'stock.rejected',
      data: {
        orderId,
        userId,
        shortages: [{ productId: b.id, name: `Product ${b.id}`, requested: 3, available: 2 }],
      },
    });
    expect(await units(a.id)).toEqual({ stock: 10, reserved: 0 });
    expect(await units(b.id)).toEqual({ stock: 2, reserved: 0 });
    expect(await shown(a.id)).toBe(10);
  });

  it('counts only what is not held: a second order for the held units is rejected', async () => {
    const { id } = await createProduct(catalog, { categoryId, stock: 3 });
    const [first, second] = [newOrderId(), newOrderId()];

    await publish(orderCreated(first, [{ productId: id, quantity: 2 }]));
    await reservationIs(first, 'reserved');
    await publish(orderCreated(second, [{ productId: id, quantity: 2 }]));

    await reservationIs(second, 'rejected');
    await eventually(() => expect(announcementsFor(second)).toHaveLength(1));
    expect(announcementsFor(second)[0]?.data).toMatchObject({
      shortages: [{ productId: id, requested: 2, available: 1 }],
    });
    expect(await shown(id)).toBe(1);
  });

  it('never reserves a deleted product', async () => {
    const { id } = await createProduct(catalog, { categoryId, stock: 5 });
    expect(
      (await send(catalog, 'DELETE', `/products/${id}`, undefined, bearer(catalog.adminToken))).status,
    ).toBe(204);
    const orderId = newOrderId();

    await publish(orderCreated(orderId, [{ productId: id, quantity: 1 }]));

    await reservationIs(orderId, 'rejected');
    expect(await units(id)).toEqual({ stock: 5, reserved: 0 });
  });
});

describe('a reservation sold or released', () => {
  it('sells the held units when the order is paid: fewer on hand, what can be bought unchanged', async () => {
    const { id } = await createProduct(catalog, { categoryId, stock: 10 });
    const orderId = newOrderId();
    const lines = [{ productId: id, quantity: 4 }];
    await publish(orderCreated(orderId, lines));
    await reservationIs(orderId, 'reserved');

    await publish(orderPaid(orderId, lines));

    await reservationIs(orderId, 'sold');
    expect(await units(id)).toEqual({ stock: 6, reserved: 0 });
    expect(await shown(id)).toBe(6);
  });

  it.each([
    ['cancelled', (orderId: number) => orderCancelled(orderId)],
    // It carries the order's items; the reservation's own lines are what is released.
    ['its payment failed', (orderId: number) => paymentFailed(orderId, [{ productId: 1, quantity: 1 }])],
  ] as const)('gives the held units back when the order is %s', async (_, ending) => {
    const { id } = await createProduct(catalog, { categoryId, stock: 5 });
    const orderId = newOrderId();
    await publish(orderCreated(orderId, [{ productId: id, quantity: 5 }]));
    await reservationIs(orderId, 'reserved');
    expect(await shown(id)).toBe(0);

    await publish(ending(orderId));

    await reservationIs(orderId, 'released');
    expect(await units(id)).toEqual({ stock: 5, reserved: 0 });
    expect(await shown(id)).toBe(5);
  });

  it('reserves nothing for an order whose cancellation arrived first, and announces nothing', async () => {
    const { id } = await createProduct(catalog, { categoryId, stock: 5 });
    const orderId = newOrderId();

    await publish(orderCancelled(orderId));
    await eventually(async () =>
      expect(await reservation(orderId)).toMatchObject({ state: 'released', lines: null }),
    );
    await publish(orderCreated(orderId, [{ productId: id, quantity: 2 }]));

    await afterSentinel(await sentinel());
    expect(await reservation(orderId)).toMatchObject({
      state: 'released',
      lines: [{ productId: id, quantity: 2 }],
    });
    expect(await units(id)).toEqual({ stock: 5, reserved: 0 });
    expect(announcementsFor(orderId)).toEqual([]);
  });

  it('changes nothing when every event of an order arrives again, even under new ids', async () => {
    const { id } = await createProduct(catalog, { categoryId, stock: 10 });
    const orderId = newOrderId();
    const lines = [{ productId: id, quantity: 3 }];
    const created = orderCreated(orderId, lines);
    const paid = orderPaid(orderId, lines);

    await Promise.all([publish(created), publish(created), publish(orderCreated(orderId, lines))]);
    await reservationIs(orderId, 'reserved');
    await Promise.all([publish(paid), publish(paid), publish(orderPaid(orderId, lines))]);
    await reservationIs(orderId, 'sold');
    await publish(paymentFailed(orderId, lines));
    await publish(orderCreated(orderId, lines));

    await afterSentinel(await sentinel());
    expect(await handled(created.id)).toBe(1);
    expect(await units(id)).toEqual({ stock: 7, reserved: 0 });
    expect(announcementsFor(orderId).map((event) => event.type)).toEqual(['stock.reserved']);
    expect(
      logs.lines.filter((line) => line.eventId === created.id && line.msg === 'duplicate message skipped'),
    ).toHaveLength(1);
  });
});

describe('a sale cancelled by the merchant', () => {
  const merchantCancelled = (orderId: number) =>
    createEvent('order.cancelled', { orderId, userId, reason: 'merchant', wasPaid: true });

  it('puts the sold units back on hand exactly once, however often the cancellation arrives', async () => {
    const { id } = await createProduct(catalog, { categoryId, stock: 10 });
    const orderId = newOrderId();
    const lines = [{ productId: id, quantity: 4 }];
    await publish(orderCreated(orderId, lines));
    await reservationIs(orderId, 'reserved');
    await publish(orderPaid(orderId, lines));
    await reservationIs(orderId, 'sold');
    expect(await shown(id)).toBe(6);
    const cancellation = merchantCancelled(orderId);

    await Promise.all([publish(cancellation), publish(cancellation), publish(merchantCancelled(orderId))]);
    await publish(orderPaid(orderId, lines));

    await afterSentinel(await sentinel());
    expect(await reservation(orderId)).toMatchObject({ state: 'returned', lines });
    expect(await units(id)).toEqual({ stock: 10, reserved: 0 });
    await cacheCaughtUp();
    expect(await shown(id)).toBe(10);
    expect(
      logs.lines.filter(
        (line) =>
          line.orderId === orderId && line.msg === 'sold stock back on hand: the paid order was cancelled',
      ),
    ).toHaveLength(1);
  });

  it('gives the held units back when the cancellation overtakes the news that the order was paid', async () => {
    const { id } = await createProduct(catalog, { categoryId, stock: 3 });
    const orderId = newOrderId();
    const lines = [{ productId: id, quantity: 3 }];
    await publish(orderCreated(orderId, lines));
    await reservationIs(orderId, 'reserved');

    await publish(merchantCancelled(orderId));
    await reservationIs(orderId, 'released');
    await publish(orderPaid(orderId, lines));

    await afterSentinel(await sentinel());
    expect(await reservation(orderId)).toMatchObject({ state: 'released' });
    expect(await units(id)).toEqual({ stock: 3, reserved: 0 });
    expect(await shown(id)).toBe(3);
  });
});

describe('admin stock is what can be bought', () => {
  it('keeps held units on hand when the merchant sets the stock', async () => {
    const { id } = await createProduct(catalog, { categoryId, stock: 5 });
    const orderId = newOrderId();
    await publish(orderCreated(orderId, [{ productId: id, quantity: 2 }]));
    await reservationIs(orderId, 'reserved');

    const res = await send(catalog, 'PATCH', `/products/${id}`, { stock: 10 }, bearer(catalog.adminToken));

    expect(res.status).toBe(200);
    expect(((await res.json()) as ProductItem).stock).toBe(10);
    expect(await units(id)).toEqual({ stock: 12, reserved: 2 });
    await publish(orderCancelled(orderId));
    await reservationIs(orderId, 'released');
    expect(await shown(id)).toBe(12);
  });
});

describe('stock events applied in batches', () => {
  it('reserves, sells and releases forty orders arriving in one burst exactly once each', async () => {
    const logged = logs.lines.length;
    const stock = 100;
    const [a, b] = [
      await createProduct(catalog, { categoryId, stock }),
      await createProduct(catalog, { categoryId, stock }),
    ];
    const orders = Array.from({ length: 40 }, (_, i) => {
      const lines = [{ productId: a.id, quantity: 1 + (i % 3) }];
      if (i % 5 !== 0) lines.push({ productId: b.id, quantity: 1 + (i % 2) });
      const orderId = newOrderId();
      const fate = i % 4 === 0 ? 'cancelled' : i % 4 === 1 ? 'failed' : i % 4 === 2 ? 'paid' : 'held';
      return { orderId, lines, fate, created: orderCreated(orderId, lines) };
    });
    const ends = orders.flatMap(({ orderId, lines, fate }): EventEnvelope[] =>
      fate === 'paid'
        ? [orderPaid(orderId, lines)]
        : fate === 'cancelled'
          ? [orderCancelled(orderId)]
          : fate === 'failed'
            ? [paymentFailed(orderId, lines)]
            : [],
    );
    const burst = [...orders.map((order) => order.created), orders[7]!.created, ...ends.toReversed()];

    await whileProductsLocked([a.id, b.id], () => Promise.all(burst.map(publish)));

    for (const { orderId, fate } of orders)
      await reservationIs(orderId, fate === 'paid' ? 'sold' : fate === 'held' ? 'reserved' : 'released');
    const total = (productId: number, fates: string[]) =>
      orders
        .filter((order) => fates.includes(order.fate))
        .flatMap((order) => order.lines)
        .filter((line) => line.productId === productId)
        .reduce((sum, line) => sum + line.quantity, 0);
    for (const { id } of [a, b]) {
      expect(await units(id)).toEqual({ stock: stock - total(id, ['paid']), reserved: total(id, ['held']) });
    }
    for (const { orderId } of orders) expect(announcementsFor(orderId)).toHaveLength(1);
    // They were applied together, and no batch failed.
    const rows = await catalog.orm.em.fork().find(InboxMessage, {
      consumer: `${catalog.events.queuePrefix}.orders`,
      messageId: { $in: burst.map((event) => event.id) },
    });
    expect(new Set(rows.map((row) => row.receivedAt.getTime())).size).toBeLessThan(rows.length);
    expect(
      logs.lines
        .slice(logged)
        .filter((line) => line.msg === 'batch failed; applying its messages one by one'),
    ).toEqual([]);
  });
});

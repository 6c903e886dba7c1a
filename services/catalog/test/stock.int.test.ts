import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, InboxMessage, type EventEnvelope } from '@shop/shared';
import { afterSentinel, eventually, recordingLogger, type Sentinel } from '@shop/testkit';
import { StockOrder } from '../src/db/entities.ts';
import { readCacheVersion } from '../src/store/catalog-state.ts';
import type { ProductItem } from '../src/domain/product-views.ts';
import { createCategory, createProduct, get, startCatalog, type TestCatalog } from './harness.ts';

const logs = recordingLogger();
let catalog: TestCatalog;
let categoryId: number;

beforeAll(async () => {
  // Its own database (other suites' writes don't move the cache version under the assertions),
  // and no periodic version sync: only the stock change's own invalidation can refresh the cache.
  catalog = await startCatalog({
    database: 'catalog_stock',
    logger: logs.logger,
    env: { CATALOG_VERSION_SYNC_MS: '600000' },
  });
  categoryId = await createCategory(catalog);
});
afterAll(() => catalog.close());

const newOrderId = () => randomInt(1, 2 ** 31 - 1);
const userId = crypto.randomUUID();

function orderCreated(orderId: number, items: { productId: number; quantity: number }[]) {
  const lines = items.map((item) => ({ ...item, name: 'Test product', unitPriceCents: 1000 }));
  const totalCents = items.reduce((sum, item) => sum + item.quantity * 1000, 0);
  return createEvent('order.created', { orderId, userId, items: lines, totalCents, currency: 'EUR' });
}

const payment = (orderId: number) => ({
  paymentId: crypto.randomUUID(),
  orderId,
  userId,
  amountCents: 1000,
  currency: 'EUR',
});
const paymentSucceeded = (orderId: number) => createEvent('payment.succeeded', payment(orderId));

/** Published as the order and payment relays do: persistent, messageId = event id, confirmed. */
const publish = (event: EventEnvelope) => catalog.broker.publish(event);

const product = async (id: number) => (await (await get(catalog, `/products/${id}`)).json()) as ProductItem;
const stockOrder = (orderId: number) => catalog.orm.em.fork().findOne(StockOrder, { orderId });
const handled = (eventId: string) =>
  catalog.orm.em
    .fork()
    .count(InboxMessage, { consumer: `${catalog.events.queuePrefix}.orders`, messageId: eventId });

/**
 * An order.created of its own behind what the test published, on the stock consumer's queue;
 * handled once its stock order is stored (see `afterSentinel`).
 */
function sentinel(): Sentinel {
  const orderId = newOrderId();
  return {
    send: () => publish(orderCreated(orderId, [{ productId: 1, quantity: 1 }])),
    handled: async () => expect(await stockOrder(orderId)).not.toBeNull(),
  };
}

/** Waits until the order's stock has been taken and the cache told about it. */
async function applied(orderId: number) {
  await eventually(async () => expect((await stockOrder(orderId))?.appliedAt).toBeInstanceOf(Date));
  const committed = await readCacheVersion(catalog.orm.em.fork());
  await eventually(() => expect(catalog.versions.known).toBeGreaterThanOrEqual(committed));
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

/** The inbox rows of `eventIds`, grouped by transaction (rows inserted together share `now()`). */
async function inboxTransactions(eventIds: string[]) {
  const rows = await catalog.orm.em
    .fork()
    .find(InboxMessage, { consumer: `${catalog.events.queuePrefix}.orders`, messageId: { $in: eventIds } });
  const byTransaction = new Map<number, string[]>();
  for (const { receivedAt, messageId } of rows) {
    const at = receivedAt.getTime();
    byTransaction.set(at, [...(byTransaction.get(at) ?? []), messageId]);
  }
  return [...byTransaction.values()];
}

const loggedFor = (msg: string, orderId: number) =>
  logs.lines.filter((line) => line.msg === msg && line.orderId === orderId);

describe('stock taken by paid orders', () => {
  it('takes the quantities when an order is paid, and a cached product shows it at once', async () => {
    const [a, b] = [
      await createProduct(catalog, { categoryId, stock: 10 }),
      await createProduct(catalog, { categoryId, stock: 4 }),
    ];
    await get(catalog, `/products/${a.id}`);
    expect((await get(catalog, `/products/${a.id}`)).headers.get('X-Cache')).toBe('HIT');
    const orderId = newOrderId();

    await publish(
      orderCreated(orderId, [
        { productId: a.id, quantity: 3 },
        { productId: b.id, quantity: 4 },
      ]),
    );
    await publish(paymentSucceeded(orderId));

    await applied(orderId);
    const after = await get(catalog, `/products/${a.id}`);
    expect(after.headers.get('X-Cache')).toBe('MISS');
    expect(((await after.json()) as ProductItem).stock).toBe(7);
    expect((await product(b.id)).stock).toBe(0);
  });

  it('takes stock once when the same payment.succeeded arrives three times, and once more under a new id', async () => {
    const { id } = await createProduct(catalog, { categoryId, stock: 10 });
    const orderId = newOrderId();
    await publish(orderCreated(orderId, [{ productId: id, quantity: 2 }]));
    const paid = paymentSucceeded(orderId);
    const republished = paymentSucceeded(orderId);

    await Promise.all([publish(paid), publish(paid), publish(paid), publish(republished)]);

    await applied(orderId);
    await eventually(async () => expect(await handled(republished.id)).toBe(1));
    await eventually(() =>
      expect(
        logs.lines.filter((line) => line.eventId === paid.id && line.msg === 'duplicate message skipped'),
      ).toHaveLength(2),
    );
    expect(await handled(paid.id)).toBe(1);
    expect((await product(id)).stock).toBe(8);
  });

  it('takes stock once when payment.succeeded overtakes order.created', async () => {
    const { id } = await createProduct(catalog, { categoryId, stock: 10 });
    const orderId = newOrderId();
    const order = orderCreated(orderId, [{ productId: id, quantity: 5 }]);

    await publish(paymentSucceeded(orderId));
    await eventually(async () =>
      expect(await stockOrder(orderId)).toMatchObject({ lines: null, paidAt: expect.any(Date) }),
    );
    expect((await product(id)).stock).toBe(10);
    await publish(order);
    await publish(order);

    await applied(orderId);
    await eventually(() =>
      expect(
        logs.lines.filter((line) => line.eventId === order.id && line.msg === 'duplicate message skipped'),
      ).toHaveLength(1),
    );
    expect((await product(id)).stock).toBe(5);
  });

  it('leaves stock alone when the payment failed', async () => {
    const { id } = await createProduct(catalog, { categoryId, stock: 10 });
    const orderId = newOrderId();
    await publish(orderCreated(orderId, [{ productId: id, quantity: 5 }]));
    await eventually(async () =>
      expect((await stockOrder(orderId))?.lines).toEqual([{ productId: id, quantity: 5 }]),
    );

    // The catalog does not even listen for it: on this test's own exchange the event is unroutable.
    await expect(
      publish(createEvent('payment.failed', { ...payment(orderId), reason: 'declined' })),
    ).rejects.toMatchObject({ reason: 'unroutable' });

    await afterSentinel(sentinel());
    expect(await stockOrder(orderId)).toMatchObject({ paidAt: null, appliedAt: null });
    expect((await product(id)).stock).toBe(10);
  });

  it('clamps stock at 0 and logs a warning when a paid order takes more than there is', async () => {
    const { id } = await createProduct(catalog, { categoryId, stock: 2 });
    const orderId = newOrderId();

    await publish(orderCreated(orderId, [{ productId: id, quantity: 5 }]));
    await publish(paymentSucceeded(orderId));

    await applied(orderId);
    expect((await product(id)).stock).toBe(0);
    const warnings = logs.lines.filter(
      (line) => line.orderId === orderId && line.msg === 'product oversold; stock clamped at 0',
    );
    expect(warnings).toEqual([
      expect.objectContaining({ level: 40, productId: id, quantity: 5, stock: 2, oversoldBy: 3 }),
    ]);
  });
});

describe('stock events applied in batches', () => {
  it('takes exactly the paid quantities once per order when forty orders arrive in one burst', async () => {
    const logged = logs.lines.length;
    const stock = 1000;
    const [a, b] = [
      await createProduct(catalog, { categoryId, stock }),
      await createProduct(catalog, { categoryId, stock }),
    ];
    const orders = Array.from({ length: 40 }, (_, i) => {
      const lines = [{ productId: a.id, quantity: 1 + (i % 3) }];
      if (i % 5 !== 0) lines.push({ productId: b.id, quantity: 1 + (i % 2) });
      const orderId = newOrderId();
      return { orderId, lines, created: orderCreated(orderId, lines), paid: paymentSucceeded(orderId) };
    });
    const unpaidId = newOrderId();
    const unpaid = orderCreated(unpaidId, [
      { productId: a.id, quantity: 7 },
      { productId: b.id, quantity: 7 },
    ]);
    const doubled = orders[7]!.created;
    // Payments published twice under new ids: one right behind the first (most likely in its batch),
    // one last (more than a batch later than the order it pays, which completes early).
    const republishedAlong = paymentSucceeded(orders[20]!.orderId);
    const republished = paymentSucceeded(orders[39]!.orderId);
    // Every third payment overtakes its order; the second halves come in reverse order, with a
    // copy of one order.created among them.
    const burst = [
      ...orders.map((order, i) => (i % 3 === 0 ? order.paid : order.created)),
      unpaid,
      ...orders.toReversed().flatMap((order, i) => {
        const second = orders.indexOf(order) % 3 === 0 ? order.created : order.paid;
        if (order === orders[20]) return [second, republishedAlong];
        return i === 10 ? [second, doubled] : [second];
      }),
      republished,
    ];
    const eventIds = [...new Set(burst.map((event) => event.id))];
    expect(eventIds).toHaveLength(40 * 2 + 3);

    await whileProductsLocked([a.id, b.id], () => Promise.all(burst.map(publish)));

    await eventually(async () =>
      expect(
        await catalog.orm.em.fork().count(InboxMessage, {
          consumer: `${catalog.events.queuePrefix}.orders`,
          messageId: { $in: eventIds },
        }),
      ).toBe(eventIds.length),
    );
    for (const { orderId } of orders) await applied(orderId);
    const taken = (productId: number) =>
      orders
        .flatMap((order) => order.lines)
        .filter((line) => line.productId === productId)
        .reduce((sum, line) => sum + line.quantity, 0);
    expect((await product(a.id)).stock).toBe(stock - taken(a.id));
    expect((await product(b.id)).stock).toBe(stock - taken(b.id));
    for (const { orderId, lines } of orders) {
      expect(await stockOrder(orderId)).toMatchObject({ lines, paidAt: expect.any(Date) });
      expect(loggedFor('stock taken for paid order', orderId)).toHaveLength(1);
    }
    expect(await stockOrder(unpaidId)).toMatchObject({
      lines: [
        { productId: a.id, quantity: 7 },
        { productId: b.id, quantity: 7 },
      ],
      paidAt: null,
      appliedAt: null,
    });
    expect(loggedFor('stock taken for paid order', unpaidId)).toEqual([]);
    expect(
      logs.lines.filter((line) => line.eventId === doubled.id && line.msg === 'duplicate message skipped'),
    ).toHaveLength(1);
    // They were applied together: transactions of several messages, and of several orders' stock.
    const transactions = await inboxTransactions(eventIds);
    expect(Math.max(...transactions.map((messages) => messages.length))).toBeGreaterThan(1);
    const appliedAt = await Promise.all(
      orders.map(async ({ orderId }) => (await stockOrder(orderId))!.appliedAt),
    );
    expect(new Set(appliedAt.map((at) => at!.getTime())).size).toBeLessThan(orders.length);
    expect(
      logs.lines
        .slice(logged)
        .filter((line) => line.msg === 'batch failed; applying its messages one by one'),
    ).toEqual([]);
  });

  it('takes the stock of the other orders of a batch when one names a product that does not exist', async () => {
    const logged = logs.lines.length;
    const { id } = await createProduct(catalog, { categoryId, stock: 10 });
    const unknownId = 2 ** 31 - 1 - randomInt(1000);
    const [first, withUnknown, last] = [newOrderId(), newOrderId(), newOrderId()];
    const unknownPaid = paymentSucceeded(withUnknown);
    const burst = [
      orderCreated(first, [{ productId: id, quantity: 2 }]),
      paymentSucceeded(first),
      orderCreated(withUnknown, [
        { productId: id, quantity: 3 },
        { productId: unknownId, quantity: 4 },
      ]),
      orderCreated(last, [{ productId: id, quantity: 1 }]),
      unknownPaid,
      paymentSucceeded(last),
    ];

    await whileProductsLocked([id], () => Promise.all(burst.map(publish)));

    for (const orderId of [first, withUnknown, last]) await applied(orderId);
    expect((await product(id)).stock).toBe(10 - 2 - 3 - 1);
    expect(loggedFor('paid order names an unknown product; its stock is not taken', withUnknown)).toEqual([
      expect.objectContaining({ level: 40, productId: unknownId, quantity: 4 }),
    ]);
    // Its payment was applied in one transaction with other messages, and that batch did not fail.
    const transactions = await inboxTransactions(burst.map((event) => event.id));
    expect(transactions.find((messages) => messages.includes(unknownPaid.id))!.length).toBeGreaterThan(1);
    expect(
      logs.lines
        .slice(logged)
        .filter((line) => line.msg === 'batch failed; applying its messages one by one'),
    ).toEqual([]);
  });
});

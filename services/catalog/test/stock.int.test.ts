import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, InboxMessage, type EventEnvelope } from '@shop/shared';
import { eventually, recordingLogger } from '@shop/shared/testing';
import { StockOrder } from '../src/db/entities.ts';
import { readCacheVersion } from '../src/domain/catalog-state.ts';
import type { ProductItem } from '../src/domain/catalog-views.ts';
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
  catalog.orm.em.fork().count(InboxMessage, { consumer: catalog.events.consumerName, messageId: eventId });

/** Waits until the order's stock has been taken and the cache told about it. */
async function applied(orderId: number) {
  await eventually(async () => expect((await stockOrder(orderId))?.appliedAt).toBeInstanceOf(Date));
  const committed = await readCacheVersion(catalog.orm.em.fork());
  await eventually(() => expect(catalog.versions.known).toBeGreaterThanOrEqual(committed));
}

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

    await sleep(200);
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

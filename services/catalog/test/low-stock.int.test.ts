import { randomInt } from 'node:crypto';
import type { ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, type EventOf } from '@shop/shared';
import { eventually, openTestExchange, type TestExchange } from '@shop/testkit';
import { Reservation } from '../src/db/entities.ts';
import { createCategory, createProduct, newEventNames, startCatalog, type TestCatalog } from './harness.ts';

// Two replicas of one catalog on one queue and database: orders arriving together are applied
// by both at once, as in production.
const events = newEventNames();
let exchange: TestExchange;
let received: ConsumeMessage[];
let replicas: TestCatalog[];
let categoryId: number;

beforeAll(async () => {
  exchange = await openTestExchange(events.exchange);
  received = await exchange.probe(`${events.queuePrefix}.probe`, 'stock.*');
  const options = { database: 'catalog_low_stock', events, env: { LOW_STOCK_THRESHOLD: '3' } };
  replicas = [await startCatalog(options), await startCatalog(options)];
  categoryId = await createCategory(replicas[0]!);
});
afterAll(async () => {
  for (const replica of replicas) await replica.close();
  await exchange.close();
});

const userId = crypto.randomUUID();
const order = (productId: number, quantity: number) =>
  createEvent('order.created', {
    orderId: randomInt(1, 2 ** 40),
    userId,
    items: [{ productId, name: 'Teapot', unitPriceCents: 1000, quantity }],
    totalCents: quantity * 1000,
    currency: 'EUR',
  });
const announced = () => received.map((message) => JSON.parse(message.content.toString()) as EventOf);
const lowStockOf = (productId: number) =>
  announced().flatMap((event) =>
    event.type === 'stock.low' && event.data.productId === productId ? [event.data] : [],
  );
const reservedOrRejected = (orderId: number) =>
  eventually(() =>
    expect(
      announced().some(
        (event) =>
          (event.type === 'stock.reserved' || event.type === 'stock.rejected') &&
          event.data.orderId === orderId,
      ),
    ).toBe(true),
  );

/**
 * Waits until every stock event committed so far has reached the probe: the outbox is empty,
 * then a marker published behind it arrives (one queue keeps order).
 */
async function allAnnounced() {
  await eventually(async () => {
    const [row] = await replicas[0]!.orm.em
      .fork()
      .execute<{ pending: number }[]>(
        'select count(*)::int as pending from outbox where published_at is null',
      );
    expect(row?.pending).toBe(0);
  });
  const marker = createEvent('stock.low', { productId: 1, name: 'marker', available: 0, threshold: 0 });
  await exchange.publish(marker);
  await eventually(() => expect(announced().some((event) => event.id === marker.id)).toBe(true));
}

describe('low-stock alerts from the catalog', () => {
  it('announces once at the threshold and once when sold out, as five orders buy 6 units one by one', async () => {
    const product = await createProduct(replicas[0]!, {
      categoryId,
      stock: 6,
      name: { en: 'Cast-iron teapot', ru: 'Чугунный чайник' },
    });

    for (const quantity of [1, 1, 1, 1, 2]) {
      const placed = order(product.id, quantity);
      await exchange.publish(placed);
      await reservedOrRejected(placed.data.orderId);
    }

    await allAnnounced();
    expect(lowStockOf(product.id)).toEqual([
      {
        productId: product.id,
        name: 'Cast-iron teapot',
        nameRu: 'Чугунный чайник',
        available: 3,
        threshold: 3,
      },
      {
        productId: product.id,
        name: 'Cast-iron teapot',
        nameRu: 'Чугунный чайник',
        available: 0,
        threshold: 3,
      },
    ]);
  });

  it('announces once when orders arriving together take the product past the threshold', async () => {
    const product = await createProduct(replicas[0]!, { categoryId, stock: 8 });
    const placed = Array.from({ length: 6 }, () => order(product.id, 1));

    await exchange.publish(...placed);
    for (const one of placed) await reservedOrRejected(one.data.orderId);

    await allAnnounced();
    expect(lowStockOf(product.id)).toEqual([expect.objectContaining({ available: 2, threshold: 3 })]);
  });

  it('is armed again once released stock takes the product back above the threshold', async () => {
    const product = await createProduct(replicas[0]!, { categoryId, stock: 5 });
    const first = order(product.id, 3);
    await exchange.publish(first);
    await reservedOrRejected(first.data.orderId);
    await exchange.publish(
      createEvent('order.cancelled', { orderId: first.data.orderId, userId, reason: 'expired' }),
    );
    await eventually(async () =>
      expect(
        (await replicas[0]!.orm.em.fork().findOne(Reservation, { orderId: first.data.orderId }))?.state,
      ).toBe('released'),
    );

    const second = order(product.id, 2);
    await exchange.publish(second);
    await reservedOrRejected(second.data.orderId);

    await allAnnounced();
    expect(lowStockOf(product.id).map((data) => data.available)).toEqual([2, 3]);
  });
});

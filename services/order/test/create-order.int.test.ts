import { recordingLogger } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Order } from '../src/db/entities.ts';
import { countRows, request, startOrder, type ErrorBody, type OrderBody, type TestOrder } from './harness.ts';

let order: TestOrder;
// Error lines only: a test below reads what the service logged about its failed insert.
const log = recordingLogger();
log.logger.level = 'error';

beforeAll(async () => {
  order = await startOrder('create', { logger: log.logger });
});
afterAll(() => order.close());

/**
 * Makes the buyer's outbox insert fail, after the order statement wrote every row, reporting how
 * many rows of the buyer that statement had written by then: the latest failure possible.
 */
async function failOutboxInsertsOf(userId: string) {
  const em = order.orm.em.fork();
  const name = `fail_outbox_${userId.replaceAll('-', '')}`;
  await em.execute(`
    create function ${name}() returns trigger language plpgsql as $$
    begin
      raise exception 'injected failure: orders %, items %, keys %, events %',
        (select count(*) from orders where user_id = '${userId}'),
        (select count(*) from order_items i join orders o on o.id = i.order_id where o.user_id = '${userId}'),
        (select count(*) from idempotency_keys where user_id = '${userId}'),
        (select count(*) from outbox where payload->'data'->>'userId' = '${userId}');
    end $$`);
  await em.execute(
    `create trigger ${name} after insert on outbox for each row
     when (new.payload->'data'->>'userId' = '${userId}') execute function ${name}()`,
  );
  return async () => {
    await em.execute(`drop trigger ${name} on outbox`);
    await em.execute(`drop function ${name}()`);
  };
}

const place = async (body: unknown, headers: Record<string, string> = {}) => {
  const buyer = await order.user();
  return request(order.app, 'POST', '/orders', body, { ...buyer.headers, ...headers });
};
const countOrders = (userId: string) => order.orm.em.fork().count(Order, { userId });
const NO_SUCH_PRODUCT = 2_000_000_000;

describe('POST /orders', () => {
  it('creates a pending order priced by the catalog, in the contract shape', async () => {
    const [tea, mug] = await order.catalog.add(
      { name: { en: 'Green tea', ru: 'Зелёный чай' }, priceCents: 450, currency: 'EUR', stock: 10 },
      { name: { en: 'Mug', ru: 'Кружка' }, priceCents: 1_299, currency: 'EUR', stock: 3 },
    );
    const buyer = await order.user();
    const requestsBefore = order.catalog.requests.length;
    const res = await request(
      order.app,
      'POST',
      '/orders',
      {
        items: [
          { productId: mug!.id, quantity: 1 },
          { productId: tea!.id, quantity: 3 },
        ],
      },
      { ...buyer.headers, 'Accept-Language': 'ru' },
    );

    expect(res.status).toBe(201);
    const body = (await res.json()) as OrderBody;
    expect(body).toStrictEqual({
      id: expect.any(Number),
      status: 'pending',
      items: [
        { productId: mug!.id, name: 'Кружка', unitPriceCents: 1_299, quantity: 1 },
        { productId: tea!.id, name: 'Зелёный чай', unitPriceCents: 450, quantity: 3 },
      ],
      totalCents: 1_299 + 3 * 450,
      currency: 'EUR',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(Number.isInteger(body.id) && body.id > 0).toBe(true);
    // One catalog request for the whole order.
    const calls = order.catalog.requests.slice(requestsBefore);
    expect(calls.map((call) => call.path)).toEqual(['/products']);
    expect(calls[0]!.query.get('ids')).toBe(`${mug!.id},${tea!.id}`);
    expect(await countOrders(buyer.id)).toBe(1);
  });

  it('gives each new order a higher number', async () => {
    const [tea] = await order.catalog.add({ name: 'Tea', priceCents: 100, stock: 10 });
    const first = (await (await place({ items: [{ productId: tea!.id, quantity: 1 }] })).json()) as OrderBody;
    const second = (await (
      await place({ items: [{ productId: tea!.id, quantity: 1 }] })
    ).json()) as OrderBody;
    expect(second.id).toBeGreaterThan(first.id);
  });

  it('answers 404 naming a product the catalog does not have', async () => {
    const [tea] = await order.catalog.add({ name: 'Tea', priceCents: 100, stock: 10 });
    const res = await place({
      items: [
        { productId: tea!.id, quantity: 1 },
        { productId: NO_SUCH_PRODUCT, quantity: 1 },
      ],
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toStrictEqual({
      error: {
        code: 'product_not_found',
        message: `product ${NO_SUCH_PRODUCT} was not found`,
        details: { productIds: [NO_SUCH_PRODUCT] },
      },
    });
  });

  it('answers 404 naming a product deleted from the catalog', async () => {
    const [gone] = await order.catalog.add({ name: 'Discontinued', priceCents: 100, stock: 10 });
    await order.catalog.remove(gone!.id);
    const buyer = await order.user();
    const res = await request(
      order.app,
      'POST',
      '/orders',
      { items: [{ productId: gone!.id, quantity: 1 }] },
      buyer.headers,
    );
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error.message).toBe(`product ${gone!.id} was not found`);
    expect(await countOrders(buyer.id)).toBe(0);
  });

  it('answers 409 insufficient_stock naming the product when more is asked than is in stock', async () => {
    const [scarce] = await order.catalog.add({ name: 'Rare tea', priceCents: 900, stock: 2 });
    const buyer = await order.user();
    const res = await request(
      order.app,
      'POST',
      '/orders',
      { items: [{ productId: scarce!.id, quantity: 3 }] },
      buyer.headers,
    );
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('insufficient_stock');
    expect(error.message).toContain(`product ${scarce!.id} (Rare tea)`);
    expect(error.details).toStrictEqual({ items: [{ productId: scarce!.id, requested: 3, available: 2 }] });
    expect(await countOrders(buyer.id)).toBe(0);
  });

  it('accepts exactly the stock', async () => {
    const [scarce] = await order.catalog.add({ name: 'Rare tea', priceCents: 900, stock: 2 });
    expect((await place({ items: [{ productId: scarce!.id, quantity: 2 }] })).status).toBe(201);
  });

  it('answers 409 mixed_currencies for products priced in different currencies', async () => {
    const [euro, rouble] = await order.catalog.add(
      { name: 'Tea', priceCents: 100, currency: 'EUR', stock: 5 },
      { name: 'Чай', priceCents: 9_000, currency: 'RUB', stock: 5 },
    );
    const res = await place({
      items: [
        { productId: euro!.id, quantity: 1 },
        { productId: rouble!.id, quantity: 1 },
      ],
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'mixed_currencies' } });
  });
});

describe('POST /orders from a channel', () => {
  /** The `order.created` payload the order's outbox row carries. */
  const announced = async (orderId: number) => {
    const [row] = await order.orm.em
      .fork()
      .execute<{ payload: { data: Record<string, unknown> } }[]>(
        `select payload from outbox where payload->>'type' = 'order.created' and (payload->'data'->>'orderId')::bigint = ?`,
        [orderId],
      );
    return row?.payload.data;
  };

  it('records where the order was placed, shows it on the order, and announces it in order.created', async () => {
    const [tea] = await order.catalog.add({ name: 'Oolong', priceCents: 700, currency: 'EUR', stock: 9 });
    const buyer = await order.user();
    for (const channel of ['mini_app', 'web'] as const) {
      const res = await request(
        order.app,
        'POST',
        '/orders',
        { items: [{ productId: tea!.id, quantity: 1 }], channel },
        buyer.headers,
      );
      expect(res.status).toBe(201);
      const placed = (await res.json()) as OrderBody;
      expect(placed).not.toHaveProperty('channel');
      const shown = await request(order.app, 'GET', `/orders/${placed.id}`, undefined, buyer.headers);
      expect(await shown.json()).toMatchObject({ id: placed.id, channel });
      expect(await announced(placed.id)).toMatchObject({ orderId: placed.id, channel });
    }
    // Without one (the bot's orders): the chat, and nothing more in the event or on the order.
    const chat = (await (await place({ items: [{ productId: tea!.id, quantity: 1 }] })).json()) as OrderBody;
    expect(await announced(chat.id)).not.toHaveProperty('channel');
  });

  it('refuses a browser order priced in Telegram Stars with 409 stars_need_telegram, and creates nothing', async () => {
    const [stickers] = await order.catalog.add({
      name: 'Stickers',
      priceCents: 50,
      currency: 'XTR',
      stock: 9,
    });
    const buyer = await order.user();
    const body = { items: [{ productId: stickers!.id, quantity: 1 }] };
    const refused = await request(order.app, 'POST', '/orders', { ...body, channel: 'web' }, buyer.headers);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'stars_need_telegram' } });
    expect(await countOrders(buyer.id)).toBe(0);
    // The same order from the Mini App (or the chat) is placed.
    const inTelegram = await request(
      order.app,
      'POST',
      '/orders',
      { ...body, channel: 'mini_app' },
      buyer.headers,
    );
    expect(inTelegram.status).toBe(201);
  });

  it('refuses a channel it does not know with 400', async () => {
    const [tea] = await order.catalog.add({ name: 'Sencha', priceCents: 700, stock: 9 });
    const res = await place({ items: [{ productId: tea!.id, quantity: 1 }], channel: 'fax' });
    expect(res.status).toBe(400);
  });
});

describe('POST /orders with the total the buyer confirmed', () => {
  it('refuses a total the prices no longer give with 409 price_changed listing the current prices, and creates nothing', async () => {
    const [tea] = await order.catalog.add({ name: 'Tea', priceCents: 450, currency: 'EUR', stock: 10 });
    const buyer = await order.user();
    // The buyer saw 2 × 4.50 = 9.00; the merchant raises the price before they confirm.
    await order.catalog.setPrice(tea!.id, 500);
    const res = await request(
      order.app,
      'POST',
      '/orders',
      { items: [{ productId: tea!.id, quantity: 2 }], expectedTotalCents: 900 },
      { ...buyer.headers, 'Idempotency-Key': crypto.randomUUID() },
    );

    expect(res.status).toBe(409);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('price_changed');
    expect(error.details).toStrictEqual({
      expectedTotalCents: 900,
      totalCents: 1_000,
      currency: 'EUR',
      items: [{ productId: tea!.id, quantity: 2, name: 'Tea', unitPriceCents: 500 }],
    });
    expect(await countRows(order.orm.em.fork(), buyer.id)).toStrictEqual({
      orders: 0,
      items: 0,
      keys: 0,
      events: 0,
    });
  });

  it('places the order when the expected total is what the prices give', async () => {
    const [tea] = await order.catalog.add({ name: 'Tea', priceCents: 450, currency: 'EUR', stock: 10 });
    const res = await place({ items: [{ productId: tea!.id, quantity: 2 }], expectedTotalCents: 900 });
    expect(res.status).toBe(201);
    expect(((await res.json()) as OrderBody).totalCents).toBe(900);
  });

  it('places the order the buyer confirms again after the price changed, under the same Idempotency-Key', async () => {
    const [tea] = await order.catalog.add({ name: 'Tea', priceCents: 450, currency: 'EUR', stock: 10 });
    const buyer = await order.user();
    const headers = { ...buyer.headers, 'Idempotency-Key': crypto.randomUUID() };
    await order.catalog.setPrice(tea!.id, 500);
    const items = [{ productId: tea!.id, quantity: 2 }];
    const refused = await request(order.app, 'POST', '/orders', { items, expectedTotalCents: 900 }, headers);
    expect(refused.status).toBe(409);

    const confirmed = await request(
      order.app,
      'POST',
      '/orders',
      { items, expectedTotalCents: 1_000 },
      headers,
    );
    expect(confirmed.status).toBe(201);
    expect(((await confirmed.json()) as OrderBody).totalCents).toBe(1_000);
    expect(await countRows(order.orm.em.fork(), buyer.id)).toMatchObject({ orders: 1, keys: 1, events: 1 });
  });

  it('answers a replay with the same key and body with the same order, though the price changed since', async () => {
    const [tea] = await order.catalog.add({ name: 'Tea', priceCents: 450, currency: 'EUR', stock: 10 });
    const buyer = await order.user();
    const headers = { ...buyer.headers, 'Idempotency-Key': crypto.randomUUID() };
    const body = { items: [{ productId: tea!.id, quantity: 2 }], expectedTotalCents: 900 };
    const first = await request(order.app, 'POST', '/orders', body, headers);
    expect(first.status).toBe(201);
    await order.catalog.setPrice(tea!.id, 500);

    const replay = await request(order.app, 'POST', '/orders', body, headers);
    expect(replay.status).toBe(201);
    expect(await replay.text()).toBe(await first.text());
    const otherTotal = await request(
      order.app,
      'POST',
      '/orders',
      { ...body, expectedTotalCents: 1_000 },
      headers,
    );
    expect(otherTotal.status).toBe(422);
    expect(await countRows(order.orm.em.fork(), buyer.id)).toMatchObject({ orders: 1, keys: 1, events: 1 });
  });
});

describe('the order statement', () => {
  it('leaves no order, item, key or event when it fails after writing them all', async () => {
    const [tea, mug] = await order.catalog.add(
      { name: 'Tea', priceCents: 450, currency: 'EUR', stock: 5 },
      { name: 'Mug', priceCents: 1_299, currency: 'EUR', stock: 5 },
    );
    const buyer = await order.user();
    const body = {
      items: [
        { productId: tea!.id, quantity: 1 },
        { productId: mug!.id, quantity: 1 },
      ],
    };
    const headers = { ...buyer.headers, 'Idempotency-Key': 'k-1' };
    const stopFailing = await failOutboxInsertsOf(buyer.id);

    let res: Response;
    try {
      res = await request(order.app, 'POST', '/orders', body, headers);
    } finally {
      await stopFailing();
    }

    expect(res.status).toBe(500);
    expect(await res.json()).toStrictEqual({
      error: { code: 'internal_error', message: 'Internal server error' },
    });
    // The rows really were written by the failing statement...
    const failure = log.lines
      .map((line) => String((line.err as { message?: unknown } | undefined)?.message))
      .find((message) => message.includes('injected failure'));
    expect(failure).toContain('orders 1, items 2, keys 1, events 1');
    // ...and none of them survived it.
    expect(await countRows(order.orm.em.fork(), buyer.id)).toStrictEqual({
      orders: 0,
      items: 0,
      keys: 0,
      events: 0,
    });

    // The key was not kept either: the retry is processed as a new request.
    const retry = await request(order.app, 'POST', '/orders', body, headers);
    expect(retry.status).toBe(201);
    expect(await countRows(order.orm.em.fork(), buyer.id)).toMatchObject({ orders: 1, items: 2, keys: 1 });
  });
});

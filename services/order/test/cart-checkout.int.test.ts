import { eventually, recordingLogger } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countRows,
  justPlaced,
  request,
  startOrder,
  type ErrorBody,
  type OrderBody,
  type TestOrder,
} from './harness.ts';

let order: TestOrder;
// Every line the service writes, at every level: the delivery details must be in none of them.
const log = recordingLogger();

beforeAll(async () => {
  order = await startOrder('cart-checkout', { logger: log.logger });
});
afterAll(() => order.close());

type Buyer = Awaited<ReturnType<TestOrder['user']>>;
interface CartBody {
  items: { productId: number; quantity: number; available: boolean }[];
  totalCents: number;
  delivery: { name: string; phone: string; address: string } | null;
}

const delivery = { name: 'Anna Petrova', phone: '+7 (999) 123-45-67', address: 'Nevsky prospekt 1, flat 2' };

const put = async (buyer: Buyer, productId: number, quantity: number) => {
  const res = await request(order.app, 'PUT', `/cart/items/${productId}`, { quantity }, buyer.headers);
  expect(res.status).toBe(200);
};
const cartOf = async (buyer: Buyer) =>
  (await (await request(order.app, 'GET', '/cart', undefined, buyer.headers)).json()) as CartBody;
const checkout = (buyer: Buyer, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  request(
    order.app,
    'POST',
    '/orders',
    { fromCart: true, delivery, ...body },
    { ...buyer.headers, ...headers },
  );
const lines = (cart: CartBody) => cart.items.map((item) => [item.productId, item.quantity]);

/** A buyer whose cart holds 2 teas (450) and a mug (1 299): 2 199 in all. */
async function buyerWithCart() {
  const [tea, mug] = await order.catalog.add(
    { name: 'Tea', priceCents: 450, currency: 'EUR', stock: 10 },
    { name: 'Mug', priceCents: 1_299, currency: 'EUR', stock: 5 },
  );
  const buyer = await order.user();
  await put(buyer, tea!.id, 2);
  await put(buyer, mug!.id, 1);
  return { buyer, tea: tea!.id, mug: mug!.id, total: 2 * 450 + 1_299 };
}

describe('POST /orders {fromCart: true}', () => {
  it('orders what is in the cart with its delivery details and empties the cart', async () => {
    const { buyer, tea, mug, total } = await buyerWithCart();
    const res = await checkout(buyer, {
      expectedTotalCents: total,
      delivery: {
        name: '  Anna Petrova ',
        phone: ' +7 (999) 123-45-67',
        address: 'Nevsky prospekt 1, flat 2 ',
      },
    });

    expect(res.status).toBe(201);
    const placed = (await res.json()) as OrderBody;
    expect(placed).toStrictEqual({
      id: expect.any(Number),
      status: 'pending',
      items: [
        { productId: tea, name: 'Tea', unitPriceCents: 450, quantity: 2 },
        { productId: mug, name: 'Mug', unitPriceCents: 1_299, quantity: 1 },
      ],
      totalCents: total,
      currency: 'EUR',
      createdAt: expect.any(String),
    });
    expect(lines(await cartOf(buyer))).toEqual([]);

    const read = await request(order.app, 'GET', `/orders/${placed.id}`, undefined, buyer.headers);
    expect(await read.json()).toStrictEqual({ ...justPlaced(placed), delivery });
    // Remembered for the next checkout.
    expect((await cartOf(buyer)).delivery).toStrictEqual(delivery);
  });

  it("shows the delivery details to the buyer only: someone else's request for the order is 404", async () => {
    const { buyer, total } = await buyerWithCart();
    const placed = (await (await checkout(buyer, { expectedTotalCents: total })).json()) as OrderBody;
    const stranger = await order.user();
    const res = await request(order.app, 'GET', `/orders/${placed.id}`, undefined, stranger.headers);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(delivery.phone);
    expect((await cartOf(stranger)).delivery).toBeNull();
  });

  it('offers the delivery details of the latest order that had some', async () => {
    const { buyer, tea } = await buyerWithCart();
    expect((await checkout(buyer)).status).toBe(201);
    await put(buyer, tea, 1);
    const moved = { ...delivery, address: 'Liteyny prospekt 10' };
    expect((await checkout(buyer, { delivery: moved })).status).toBe(201);
    // An order of items without delivery details does not make the shop forget them.
    const buyNow = await request(
      order.app,
      'POST',
      '/orders',
      { items: [{ productId: tea, quantity: 1 }] },
      buyer.headers,
    );
    expect(buyNow.status).toBe(201);
    expect((await cartOf(buyer)).delivery).toStrictEqual(moved);
  });

  it('answers 409 cart_empty for an empty cart, and for a second checkout of the same cart', async () => {
    const empty = await checkout(await order.user());
    expect(empty.status).toBe(409);
    expect(((await empty.json()) as ErrorBody).error).toMatchObject({
      code: 'cart_empty',
      message: 'The cart is empty: add products before checking out',
    });

    const { buyer } = await buyerWithCart();
    expect((await checkout(buyer)).status).toBe(201);
    const again = await checkout(buyer);
    expect(again.status).toBe(409);
    expect(((await again.json()) as ErrorBody).error.code).toBe('cart_empty');
    expect(await countRows(order.orm.em.fork(), buyer.id)).toMatchObject({ orders: 1 });
  });

  it('answers 409 price_changed when a price changed since the buyer saw the total, and keeps the cart', async () => {
    const { buyer, tea, mug, total } = await buyerWithCart();
    await order.catalog.setPrice(tea, 500);
    const res = await checkout(buyer, { expectedTotalCents: total });
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('price_changed');
    expect(error.details).toMatchObject({
      expectedTotalCents: total,
      totalCents: 2 * 500 + 1_299,
      items: [
        { productId: tea, unitPriceCents: 500, quantity: 2 },
        { productId: mug, unitPriceCents: 1_299, quantity: 1 },
      ],
    });
    expect(lines(await cartOf(buyer))).toEqual([
      [tea, 2],
      [mug, 1],
    ]);
    expect(await countRows(order.orm.em.fork(), buyer.id)).toMatchObject({ orders: 0, events: 0 });

    expect((await checkout(buyer, { expectedTotalCents: 2 * 500 + 1_299 })).status).toBe(201);
  });

  it('answers 409 naming a product deleted after it entered the cart, and keeps the cart', async () => {
    const { buyer, tea, mug } = await buyerWithCart();
    await order.catalog.remove(mug);
    const res = await checkout(buyer);
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error).toStrictEqual({
      code: 'product_unavailable',
      message: `"Mug" (product ${mug}) is no longer sold: remove it from the cart and check out again`,
      details: { items: [{ productId: mug, name: 'Mug' }] },
    });
    expect(lines(await cartOf(buyer))).toEqual([
      [tea, 2],
      [mug, 1],
    ]);
    expect(await countRows(order.orm.em.fork(), buyer.id)).toMatchObject({ orders: 0 });
  });

  it('answers 409 insufficient_stock for a line above the stock, and keeps the cart', async () => {
    const [rare] = await order.catalog.add({ name: 'Rare tea', priceCents: 900, stock: 2 });
    const buyer = await order.user();
    await put(buyer, rare!.id, 3);
    const res = await checkout(buyer);
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.code).toBe('insufficient_stock');
    expect(lines(await cartOf(buyer))).toEqual([[rare!.id, 3]]);
  });

  it('makes one order of a double tap with one Idempotency-Key, and answers both, and a later retry, with it', async () => {
    const { buyer, total } = await buyerWithCart();
    const key = { 'Idempotency-Key': crypto.randomUUID() };
    const taps = await Promise.all([
      checkout(buyer, { expectedTotalCents: total }, key),
      checkout(buyer, { expectedTotalCents: total }, key),
    ]);
    expect(taps.map((res) => res.status)).toEqual([201, 201]);
    const [first, second] = await Promise.all(taps.map((res) => res.text()));
    expect(second).toBe(first);

    const retry = await checkout(buyer, { expectedTotalCents: total }, key);
    expect(retry.status).toBe(201);
    expect(await retry.text()).toBe(first);
    expect(await countRows(order.orm.em.fork(), buyer.id)).toMatchObject({ orders: 1, events: 1 });
    expect(lines(await cartOf(buyer))).toEqual([]);
  });

  it('makes one order when the same cart is checked out twice at once without a key', async () => {
    const { buyer } = await buyerWithCart();
    const taps = await Promise.all([checkout(buyer), checkout(buyer), checkout(buyer)]);
    const statuses = taps.map((res) => res.status).sort();
    expect(statuses).toEqual([201, 409, 409]);
    expect(await countRows(order.orm.em.fork(), buyer.id)).toMatchObject({ orders: 1 });
  });

  it('orders nothing, and keeps every line, when the cart changes while the order is written', async () => {
    const { buyer, tea, mug } = await buyerWithCart();
    // Another device of the buyer is changing the mug's line just as the checkout commits.
    const change = await holdCartLine(buyer.id, mug);
    const pending = checkout(buyer);
    await change.waitedOn();
    await change.commit('update cart_items set quantity = 3 where user_id = ? and product_id = ?', [
      buyer.id,
      mug,
    ]);

    const res = await pending;
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.code).toBe('cart_changed');
    expect(lines(await cartOf(buyer))).toEqual([
      [tea, 2],
      [mug, 3],
    ]);
    expect(await countRows(order.orm.em.fork(), buyer.id)).toMatchObject({ orders: 0, events: 0 });
  });

  it('keeps the cart when the order statement fails after writing everything', async () => {
    const { buyer, tea, mug } = await buyerWithCart();
    const em = order.orm.em.fork();
    const name = `fail_cart_outbox_${buyer.id.replaceAll('-', '')}`;
    await em.execute(`
      create function ${name}() returns trigger language plpgsql as $$
      begin raise exception 'injected failure'; end $$`);
    await em.execute(
      `create trigger ${name} after insert on outbox for each row
       when (new.payload->'data'->>'userId' = '${buyer.id}') execute function ${name}()`,
    );
    let res: Response;
    try {
      res = await checkout(buyer);
    } finally {
      await em.execute(`drop trigger ${name} on outbox`);
      await em.execute(`drop function ${name}()`);
    }
    expect(res.status).toBe(500);
    expect(lines(await cartOf(buyer))).toEqual([
      [tea, 2],
      [mug, 1],
    ]);
    expect(await countRows(order.orm.em.fork(), buyer.id)).toMatchObject({ orders: 0 });
    expect((await checkout(buyer)).status).toBe(201);
  });

  it('leaves the delivery details out of every log line', async () => {
    const secret = { name: 'Zinaida Unlogged', phone: '+44 7700 900123', address: '7 Hidden Lane, Nowhere' };
    const { buyer, total } = await buyerWithCart();
    const before = log.lines.length;
    const placed = (await (
      await checkout(buyer, { expectedTotalCents: total, delivery: secret })
    ).json()) as OrderBody;
    await request(order.app, 'GET', `/orders/${placed.id}`, undefined, buyer.headers);
    await cartOf(buyer);
    await checkout(buyer, { delivery: { ...secret, phone: 'not a phone' } });

    const written = JSON.stringify(log.lines.slice(before));
    expect(log.lines.length).toBeGreaterThan(before);
    for (const value of [secret.name, secret.phone, '7700 900123', secret.address, 'Hidden Lane'])
      expect(written).not.toContain(value);
  });
});

describe('POST /orders {items} with delivery details', () => {
  it('stores them with the order and leaves the cart alone', async () => {
    const { buyer, tea, mug } = await buyerWithCart();
    const res = await request(
      order.app,
      'POST',
      '/orders',
      { items: [{ productId: tea, quantity: 1 }], delivery },
      buyer.headers,
    );
    expect(res.status).toBe(201);
    const placed = (await res.json()) as OrderBody;
    const read = await request(order.app, 'GET', `/orders/${placed.id}`, undefined, buyer.headers);
    expect(((await read.json()) as { delivery: unknown }).delivery).toStrictEqual(delivery);
    expect(lines(await cartOf(buyer))).toEqual([
      [tea, 2],
      [mug, 1],
    ]);
  });
});

/**
 * Plays another request that is changing a cart line: a transaction holding the line's row,
 * committed with `sql` when the test says so.
 */
async function holdCartLine(userId: string, productId: number) {
  let holder = 0;
  let locked!: () => void;
  const lockedPromise = new Promise<void>((resolve) => (locked = resolve));
  let finish!: (change: { sql: string; params: unknown[] }) => void;
  const finished = new Promise<{ sql: string; params: unknown[] }>((resolve) => (finish = resolve));
  const transaction = order.orm.em.fork().transactional(async (tx) => {
    await tx.execute('select 1 from cart_items where user_id = ? and product_id = ? for update', [
      userId,
      productId,
    ]);
    const [backend] = await tx.execute<{ pid: number }[]>('select pg_backend_pid() as pid');
    holder = backend?.pid ?? 0;
    locked();
    const { sql, params } = await finished;
    await tx.execute(sql, params);
  });
  await lockedPromise;
  return {
    /** Resolves once another transaction waits for this one. */
    waitedOn: () =>
      eventually(async () => {
        const [row] = await order.orm.em
          .fork()
          .execute<{ n: number }[]>(
            'select count(*)::int as n from pg_stat_activity where ?::int = any(pg_blocking_pids(pid))',
            [holder],
          );
        if (!row?.n) throw new Error('nothing waits for the cart line yet');
      }),
    async commit(sql: string, params: unknown[]) {
      finish({ sql, params });
      await transaction;
    },
  };
}

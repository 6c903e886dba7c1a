import { eventually } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startOrder, startOrderService, type ErrorBody, type TestOrder } from './harness.ts';

let order: TestOrder;
beforeAll(async () => {
  order = await startOrder('cart');
});
afterAll(() => order.close());

interface CartBody {
  items: {
    productId: number;
    name: string;
    unitPriceCents: number | null;
    currency: string | null;
    quantity: number;
    stock: number;
    available: boolean;
  }[];
  totalCents: number;
  currency: string | null;
  delivery: unknown;
}

type Buyer = Awaited<ReturnType<TestOrder['user']>>;

const put = (buyer: Buyer, productId: number | string, body: unknown, headers: Record<string, string> = {}) =>
  request(order.app, 'PUT', `/cart/items/${productId}`, body, { ...buyer.headers, ...headers });
const cartOf = async (buyer: Buyer, headers: Record<string, string> = {}) => {
  const res = await request(order.app, 'GET', '/cart', undefined, { ...buyer.headers, ...headers });
  expect(res.status).toBe(200);
  return (await res.json()) as CartBody;
};
const NO_SUCH_PRODUCT = 2_000_000_000;

/** `count` products in stock, for filling a cart. */
async function products(count: number, stock = 50) {
  const added = await order.catalog.add(
    ...Array.from({ length: count }, (_, i) => ({ name: `Item ${i + 1}`, priceCents: 100 + i, stock })),
  );
  return added.map((product) => product.id);
}

describe('GET /cart', () => {
  it('answers an empty cart for a buyer who never put anything in it', async () => {
    expect(await cartOf(await order.user())).toStrictEqual({
      items: [],
      totalCents: 0,
      currency: null,
      delivery: null,
    });
  });

  it("shows each line at the catalog's current price and name, asking the catalog once for all lines", async () => {
    const [tea, mug] = await order.catalog.add(
      { name: { en: 'Green tea', ru: 'Зелёный чай' }, priceCents: 450, currency: 'EUR', stock: 10 },
      { name: { en: 'Mug', ru: 'Кружка' }, priceCents: 1_299, currency: 'EUR', stock: 3 },
    );
    const buyer = await order.user();
    expect((await put(buyer, tea!.id, { quantity: 2 })).status).toBe(200);
    expect((await put(buyer, mug!.id, { quantity: 1 })).status).toBe(200);
    await order.catalog.setPrice(tea!.id, 500);

    const before = order.catalog.requests.length;
    const cart = await cartOf(buyer, { 'Accept-Language': 'ru' });
    expect(cart).toStrictEqual({
      items: [
        {
          productId: tea!.id,
          name: 'Зелёный чай',
          unitPriceCents: 500,
          currency: 'EUR',
          quantity: 2,
          stock: 10,
          available: true,
        },
        {
          productId: mug!.id,
          name: 'Кружка',
          unitPriceCents: 1_299,
          currency: 'EUR',
          quantity: 1,
          stock: 3,
          available: true,
        },
      ],
      totalCents: 2 * 500 + 1_299,
      currency: 'EUR',
      delivery: null,
    });
    const calls = order.catalog.requests.slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.query.get('ids')?.split(',').map(Number).sort()).toEqual([tea!.id, mug!.id].sort());
  });

  it('marks a line whose product was deleted or is short of stock, and leaves it out of the total', async () => {
    const [tea, rare, gone] = await order.catalog.add(
      { name: 'Tea', priceCents: 450, stock: 10 },
      { name: 'Rare tea', priceCents: 900, stock: 5 },
      { name: 'Discontinued', priceCents: 300, stock: 10 },
    );
    const buyer = await order.user();
    await put(buyer, tea!.id, { quantity: 1 });
    await put(buyer, rare!.id, { quantity: 7 });
    await put(buyer, gone!.id, { quantity: 2 });
    await order.catalog.remove(gone!.id);

    const cart = await cartOf(buyer);
    expect(
      cart.items.map(({ productId, name, unitPriceCents, stock, available }) => ({
        productId,
        name,
        unitPriceCents,
        stock,
        available,
      })),
    ).toStrictEqual([
      { productId: tea!.id, name: 'Tea', unitPriceCents: 450, stock: 10, available: true },
      { productId: rare!.id, name: 'Rare tea', unitPriceCents: 900, stock: 5, available: false },
      { productId: gone!.id, name: 'Discontinued', unitPriceCents: null, stock: 0, available: false },
    ]);
    expect(cart.totalCents).toBe(450);
  });

  it('answers 401 without a token', async () => {
    const res = await request(order.app, 'GET', '/cart');
    expect(res.status).toBe(401);
  });
});

describe('PUT /cart/items/:productId', () => {
  it('adds a line, then sets its quantity, keeping the lines in the order they were added', async () => {
    const [first, second] = await products(2);
    const buyer = await order.user();
    await put(buyer, first!, { quantity: 1 });
    await put(buyer, second!, { quantity: 2 });
    const res = await put(buyer, first!, { quantity: 5 });
    expect(res.status).toBe(200);
    const cart = (await res.json()) as CartBody;
    expect(cart.items.map((item) => [item.productId, item.quantity])).toEqual([
      [first, 5],
      [second, 2],
    ]);
    expect(await cartOf(buyer)).toStrictEqual(cart);
  });

  const badQuantities: [string, unknown][] = [
    ['0', { quantity: 0 }],
    ['101', { quantity: 101 }],
    ['1.5', { quantity: 1.5 }],
    ['"2" (a string)', { quantity: '2' }],
    ['-1', { quantity: -1 }],
    ['missing', {}],
    ['null', { quantity: null }],
    ['next to another field', { quantity: 1, priceCents: 1 }],
  ];
  it.each(badQuantities)(
    'refuses quantity %s with 400 validation_failed, changing nothing',
    async (_label, body) => {
      const [product] = await products(1);
      const buyer = await order.user();
      const res = await put(buyer, product!, body);
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as ErrorBody & { error: { details: { path: string }[] } };
      expect(error.code).toBe('validation_failed');
      expect(error.details[0]!.path).toMatch(/^json/);
      expect((await cartOf(buyer)).items).toEqual([]);
    },
  );

  it.each([['abc'], ['0'], ['-3'], ['1.5'], ['99999999999']])(
    'refuses the product id %s with 400',
    async (id) => {
      const res = await put(await order.user(), id, { quantity: 1 });
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).error.code).toBe('validation_failed');
    },
  );

  it('answers 404 for a product the catalog never had, and for one it deleted', async () => {
    const [gone] = await products(1);
    await order.catalog.remove(gone!);
    const buyer = await order.user();
    for (const id of [NO_SUCH_PRODUCT, gone!]) {
      const res = await put(buyer, id, { quantity: 1 });
      expect(res.status).toBe(404);
      expect(((await res.json()) as ErrorBody).error).toMatchObject({
        code: 'product_not_found',
        message: `product ${id} was not found`,
      });
    }
    expect((await cartOf(buyer)).items).toEqual([]);
  });

  it('refuses a 21st product with 409 cart_full, and still lets the 20 lines change', async () => {
    const ids = await products(21);
    const buyer = await order.user();
    for (const id of ids.slice(0, 20)) expect((await put(buyer, id, { quantity: 1 })).status).toBe(200);

    const res = await put(buyer, ids[20]!, { quantity: 1 });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({
      code: 'cart_full',
      message: 'A cart holds at most 20 different products: remove one or check out first',
    });
    expect((await put(buyer, ids[0]!, { quantity: 3 })).status).toBe(200);
    const cart = await cartOf(buyer);
    expect(cart.items).toHaveLength(20);
    expect(cart.items[0]!.quantity).toBe(3);
  });

  it('lets only one of two PUTs racing for the last free line take it', async () => {
    const ids = await products(21);
    const buyer = await order.user();
    for (const id of ids.slice(0, 19)) await put(buyer, id, { quantity: 1 });
    const [first, second] = ids.slice(19) as [number, number];

    // The first request is stopped right after writing its line, before it commits.
    const gate = await gateInsertsOf(buyer.id, first);
    try {
      const firstPut = put(buyer, first, { quantity: 1 });
      const firstPid = await gate.waiter();
      let settled = false;
      const secondPut = Promise.resolve(put(buyer, second, { quantity: 1 })).finally(() => (settled = true));
      // Either the second request waits for the first, or it has answered already (and then must
      // not have taken a line the first one holds).
      await eventually(async () => {
        if (!settled && (await waitersOf(firstPid)) === 0)
          throw new Error('the second request is still on its way');
      });
      await gate.open();

      const statuses = [(await firstPut).status, (await secondPut).status];
      expect(statuses).toEqual([200, 409]);
      expect((await cartOf(buyer)).items).toHaveLength(20);
    } finally {
      await gate.open();
      await gate.drop();
    }
  });
});

/** How many backends wait for a lock that backend `pid` holds. */
async function waitersOf(pid: number): Promise<number> {
  const [row] = await order.orm.em
    .fork()
    .execute<{ n: number }[]>(
      'select count(*)::int as n from pg_stat_activity where ?::int = any(pg_blocking_pids(pid))',
      [pid],
    );
  return row?.n ?? 0;
}

/**
 * Makes the insert of `productId` into the user's cart wait, inside its transaction, until
 * `open()`: a trigger takes a lock this test holds. `waiter()` resolves to the waiting backend.
 */
async function gateInsertsOf(userId: string, productId: number) {
  const em = order.orm.em.fork();
  const name = `gate_cart_${userId.replaceAll('-', '')}`;
  const lockKey = Math.floor(Math.random() * 1e12);
  await em.execute(`
    create function ${name}() returns trigger language plpgsql as $$
    begin perform pg_advisory_xact_lock(${lockKey}); return new; end $$`);
  await em.execute(
    `create trigger ${name} after insert on cart_items for each row
     when (new.user_id = '${userId}' and new.product_id = ${productId}) execute function ${name}()`,
  );
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let holder = 0;
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const transaction = order.orm.em.fork().transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(?)', [lockKey]);
    const [backend] = await tx.execute<{ pid: number }[]>('select pg_backend_pid() as pid');
    holder = backend?.pid ?? 0;
    held();
    await opened;
  });
  await holding;
  return {
    waiter: () =>
      eventually(async () => {
        const [row] = await order.orm.em
          .fork()
          .execute<{ pid: number }[]>(
            'select pid from pg_stat_activity where ?::int = any(pg_blocking_pids(pid))',
            [holder],
          );
        if (!row) throw new Error('no request waits at the gate yet');
        return row.pid;
      }),
    async open() {
      open();
      await transaction;
    },
    async drop() {
      await em.execute(`drop trigger ${name} on cart_items`);
      await em.execute(`drop function ${name}()`);
    },
  };
}

describe('DELETE /cart/items/:productId and DELETE /cart', () => {
  it('takes one product out and answers the cart; a product not in the cart is no error', async () => {
    const [first, second] = await products(2);
    const buyer = await order.user();
    await put(buyer, first!, { quantity: 1 });
    await put(buyer, second!, { quantity: 1 });

    const res = await request(order.app, 'DELETE', `/cart/items/${first}`, undefined, buyer.headers);
    expect(res.status).toBe(200);
    expect(((await res.json()) as CartBody).items.map((item) => item.productId)).toEqual([second]);
    const again = await request(order.app, 'DELETE', `/cart/items/${first}`, undefined, buyer.headers);
    expect(again.status).toBe(200);
    expect(((await again.json()) as CartBody).items.map((item) => item.productId)).toEqual([second]);
  });

  it('takes out a product the catalog has since deleted', async () => {
    const [gone] = await products(1);
    const buyer = await order.user();
    await put(buyer, gone!, { quantity: 1 });
    await order.catalog.remove(gone!);
    const res = await request(order.app, 'DELETE', `/cart/items/${gone}`, undefined, buyer.headers);
    expect(res.status).toBe(200);
    expect(((await res.json()) as CartBody).items).toEqual([]);
  });

  it('empties the cart with 204', async () => {
    const [first, second] = await products(2);
    const buyer = await order.user();
    await put(buyer, first!, { quantity: 1 });
    await put(buyer, second!, { quantity: 4 });
    const res = await request(order.app, 'DELETE', '/cart', undefined, buyer.headers);
    expect(res.status).toBe(204);
    expect((await cartOf(buyer)).items).toEqual([]);
  });
});

describe("someone else's cart", () => {
  it("is out of reach: another buyer's requests see and change only their own cart", async () => {
    const [tea, mug] = await products(2);
    const anna = await order.user();
    const boris = await order.user();
    await put(anna, tea!, { quantity: 2 });

    expect((await cartOf(boris)).items).toEqual([]);
    await request(order.app, 'DELETE', `/cart/items/${tea}`, undefined, boris.headers);
    await request(order.app, 'DELETE', '/cart', undefined, boris.headers);
    await put(boris, mug!, { quantity: 1 });

    expect((await cartOf(anna)).items.map((item) => [item.productId, item.quantity])).toEqual([[tea, 2]]);
    expect((await cartOf(boris)).items.map((item) => [item.productId, item.quantity])).toEqual([[mug, 1]]);
  });
});

describe('a restart of the order service', () => {
  it('keeps the cart', async () => {
    const [tea, mug] = await products(2);
    const before = await startOrderService('cart-restart', { CATALOG_URL: order.catalog.url });
    const buyer = await before.user();
    const signedIn = async (service: typeof before) => {
      if (!service.issuer) throw new Error('the order service under test trusts no test issuer');
      return { Authorization: `Bearer ${await service.issuer.sign({ sub: buyer.id })}` };
    };
    try {
      for (const [id, quantity] of [
        [tea!, 2],
        [mug!, 1],
      ] as const) {
        const res = await request(before.app, 'PUT', `/cart/items/${id}`, { quantity }, buyer.headers);
        expect(res.status).toBe(200);
      }
    } finally {
      await before.close();
    }

    // A new process on the same database, after the first one has shut down.
    const after = await startOrderService('cart-restart', { CATALOG_URL: order.catalog.url });
    try {
      const res = await request(after.app, 'GET', '/cart', undefined, await signedIn(after));
      expect(res.status).toBe(200);
      expect(((await res.json()) as CartBody).items.map((item) => [item.productId, item.quantity])).toEqual([
        [tea, 2],
        [mug, 1],
      ]);
    } finally {
      await after.close();
    }
  });
});

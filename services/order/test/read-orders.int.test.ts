import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  justPlaced,
  request,
  startOrder,
  type ErrorBody,
  type OrderBody,
  type TestOrder,
} from './harness.ts';

let order: TestOrder;
let tea: number;
beforeAll(async () => {
  order = await startOrder('read');
  tea = (await order.catalog.add({ name: 'Tea', priceCents: 450, currency: 'EUR', stock: 1_000 }))[0]!.id;
});
afterAll(() => order.close());

type Buyer = Awaited<ReturnType<TestOrder['user']>>;
interface OrderPage {
  items: OrderBody[];
  page: number;
  limit: number;
  total: number;
}

async function place(buyer: Buyer, quantity: number): Promise<OrderBody> {
  const res = await request(
    order.app,
    'POST',
    '/orders',
    { items: [{ productId: tea, quantity }] },
    buyer.headers,
  );
  expect(res.status).toBe(201);
  return (await res.json()) as OrderBody;
}

describe('GET /admin/orders/:id', () => {
  it("shows an admin any buyer's order, with its delivery details and whose it is", async () => {
    const [buyer, admin] = [await order.user(), await order.user('admin')];
    const delivery = { name: 'Anna Petrova', phone: '+7 900 123-45-67', address: 'Nevsky 28' };
    const placed = await request(
      order.app,
      'POST',
      '/orders',
      { items: [{ productId: tea, quantity: 1 }], delivery },
      buyer.headers,
    );
    const created = (await placed.json()) as OrderBody;

    const res = await request(order.app, 'GET', `/admin/orders/${created.id}`, undefined, admin.headers);

    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ ...justPlaced(created), userId: buyer.id, delivery });
  });

  it('refuses a buyer with 403, even for their own order, and answers 404 for an order that does not exist', async () => {
    const [buyer, admin] = [await order.user(), await order.user('admin')];
    const created = await place(buyer, 1);
    const refused = await request(order.app, 'GET', `/admin/orders/${created.id}`, undefined, buyer.headers);
    expect(refused.status).toBe(403);
    const missing = await request(order.app, 'GET', '/admin/orders/999999999999', undefined, admin.headers);
    expect(missing.status).toBe(404);
  });
});

describe('GET /orders/:id', () => {
  it('returns the buyer their own order as it was created, with its history so far', async () => {
    const buyer = await order.user();
    const created = await place(buyer, 2);
    const res = await request(order.app, 'GET', `/orders/${created.id}`, undefined, buyer.headers);
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual(justPlaced(created));
  });

  it('returns 404 when the order belongs to another user', async () => {
    const [anna, boris] = [await order.user(), await order.user()];
    const annas = await place(anna, 1);
    const res = await request(order.app, 'GET', `/orders/${annas.id}`, undefined, boris.headers);
    expect(res.status).toBe(404);
    expect(await res.json()).toStrictEqual({
      error: { code: 'not_found', message: `order ${annas.id} was not found` },
    });
  });

  it('returns 404 for an order number that does not exist', async () => {
    const buyer = await order.user();
    const res = await request(order.app, 'GET', '/orders/999999999999', undefined, buyer.headers);
    expect(res.status).toBe(404);
  });

  it.each(['abc', '1.5', '-1', '0', '1e3', '9999999999999999'])('answers 400 for the id %s', async (id) => {
    const buyer = await order.user();
    const res = await request(order.app, 'GET', `/orders/${id}`, undefined, buyer.headers);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.code).toBe('validation_failed');
  });

  it('answers 401 without a token', async () => {
    expect((await request(order.app, 'GET', '/orders/1')).status).toBe(401);
  });
});

describe('GET /orders', () => {
  it("lists only the buyer's own orders, newest first", async () => {
    const [anna, boris] = [await order.user(), await order.user()];
    const first = await place(anna, 1);
    await place(boris, 5);
    const second = await place(anna, 2);
    const third = await place(anna, 3);

    const res = await request(order.app, 'GET', '/orders', undefined, anna.headers);
    expect(res.status).toBe(200);
    const page = (await res.json()) as OrderPage;
    expect(page).toStrictEqual({ items: [third, second, first], page: 1, limit: 10, total: 3 });
  });

  it('pages with page and limit', async () => {
    const buyer = await order.user();
    const placed = [];
    for (let quantity = 1; quantity <= 5; quantity += 1) placed.push(await place(buyer, quantity));
    const newestFirst = placed.reverse().map((created) => created.id);

    const res = await request(order.app, 'GET', '/orders?page=2&limit=2', undefined, buyer.headers);
    const page = (await res.json()) as OrderPage;
    expect(page).toMatchObject({ page: 2, limit: 2, total: 5 });
    expect(page.items.map((item) => item.id)).toEqual(newestFirst.slice(2, 4));
    // Each listed order carries its items.
    expect(page.items[0]!.items).toHaveLength(1);

    const beyond = (await (
      await request(order.app, 'GET', '/orders?page=4&limit=2', undefined, buyer.headers)
    ).json()) as OrderPage;
    expect(beyond).toStrictEqual({ items: [], page: 4, limit: 2, total: 5 });
  });

  it('answers an empty list to a user without orders', async () => {
    const buyer = await order.user();
    const res = await request(order.app, 'GET', '/orders', undefined, buyer.headers);
    expect(await res.json()).toStrictEqual({ items: [], page: 1, limit: 10, total: 0 });
  });

  it.each(['limit=51', 'limit=0', 'page=0', 'page=x', 'limit=2.5'])('answers 400 for %s', async (query) => {
    const buyer = await order.user();
    const res = await request(order.app, 'GET', `/orders?${query}`, undefined, buyer.headers);
    expect(res.status).toBe(400);
  });

  it('answers 401 without a token', async () => {
    expect((await request(order.app, 'GET', '/orders')).status).toBe(401);
  });
});

describe('GET /openapi.json', () => {
  it('documents the order and cart routes, with the Idempotency-Key header', async () => {
    const res = await order.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const document = (await res.json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/orders', '/orders/{id}', '/cart', '/cart/items/{productId}']),
    );
    expect(
      document.paths['/orders']!.post!.parameters?.map((parameter) => parameter.name.toLowerCase()),
    ).toContain('idempotency-key');
  });
});

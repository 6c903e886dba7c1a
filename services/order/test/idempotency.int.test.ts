import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyKey } from '../src/db/entities.ts';
import { request, startTeaAndMugShop, type OrderBody, type TestOrder } from './harness.ts';

let order: TestOrder;
let tea: number;
let mug: number;
let countOrders: (userId: string) => Promise<number>;
let withKey: (headers: Record<string, string>, key: string) => Record<string, string>;
beforeAll(async () => {
  ({ order, tea, mug, countOrders, withKey } = await startTeaAndMugShop('idempotency'));
});
afterAll(() => order.close());

describe('POST /orders with an Idempotency-Key', () => {
  it('answers a retry with the first response again and creates no second order', async () => {
    const buyer = await order.user();
    const key = crypto.randomUUID();
    const body = {
      items: [
        { productId: tea, quantity: 2 },
        { productId: mug, quantity: 1 },
      ],
    };
    const first = await request(order.app, 'POST', '/orders', body, withKey(buyer.headers, key));
    const requestsAfterFirst = order.catalog.requests.length;
    const retry = await request(order.app, 'POST', '/orders', body, withKey(buyer.headers, key));

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(await retry.text()).toBe(await first.text());
    expect(await countOrders(buyer.id)).toBe(1);
    // A finished request is replayed from the database, without asking the catalog again.
    expect(order.catalog.requests.length).toBe(requestsAfterFirst);
  });

  it('treats the same items listed in another order as the same request', async () => {
    const buyer = await order.user();
    const key = crypto.randomUUID();
    const first = await request(
      order.app,
      'POST',
      '/orders',
      {
        items: [
          { productId: tea, quantity: 1 },
          { productId: mug, quantity: 2 },
        ],
      },
      withKey(buyer.headers, key),
    );
    const retry = await request(
      order.app,
      'POST',
      '/orders',
      {
        items: [
          { productId: mug, quantity: 2 },
          { productId: tea, quantity: 1 },
        ],
      },
      withKey(buyer.headers, key),
    );
    expect(retry.status).toBe(201);
    expect(await retry.json()).toStrictEqual(await first.json());
    expect(await countOrders(buyer.id)).toBe(1);
  });

  it('answers 422 idempotency_key_reused for the same key with another body', async () => {
    const buyer = await order.user();
    const key = crypto.randomUUID();
    await request(
      order.app,
      'POST',
      '/orders',
      { items: [{ productId: tea, quantity: 1 }] },
      withKey(buyer.headers, key),
    );
    const res = await request(
      order.app,
      'POST',
      '/orders',
      { items: [{ productId: tea, quantity: 2 }] },
      withKey(buyer.headers, key),
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: 'idempotency_key_reused' } });
    expect(await countOrders(buyer.id)).toBe(1);
  });

  it('scopes keys per user: another user with the same key gets an order of their own', async () => {
    const [anna, boris] = [await order.user(), await order.user()];
    const key = crypto.randomUUID();
    const body = { items: [{ productId: tea, quantity: 1 }] };
    const annas = (await (
      await request(order.app, 'POST', '/orders', body, withKey(anna.headers, key))
    ).json()) as OrderBody;
    const res = await request(order.app, 'POST', '/orders', body, withKey(boris.headers, key));
    expect(res.status).toBe(201);
    expect(((await res.json()) as OrderBody).id).not.toBe(annas.id);
  });

  it('does not keep a key whose request failed: the retry is processed anew', async () => {
    const [scarce] = await order.catalog.add({ name: 'Rare', priceCents: 100, currency: 'EUR', stock: 1 });
    const buyer = await order.user();
    const key = crypto.randomUUID();
    const tooMany = await request(
      order.app,
      'POST',
      '/orders',
      { items: [{ productId: scarce!.id, quantity: 2 }] },
      withKey(buyer.headers, key),
    );
    expect(tooMany.status).toBe(409);
    const fixed = await request(
      order.app,
      'POST',
      '/orders',
      { items: [{ productId: scarce!.id, quantity: 1 }] },
      withKey(buyer.headers, key),
    );
    expect(fixed.status).toBe(201);
  });

  it('keeps a key for at least 24 hours, and frees it once expired', async () => {
    const buyer = await order.user();
    const key = crypto.randomUUID();
    const body = { items: [{ productId: tea, quantity: 1 }] };
    const before = Date.now();
    await request(order.app, 'POST', '/orders', body, withKey(buyer.headers, key));
    const stored = await order.orm.em.fork().findOneOrFail(IdempotencyKey, { userId: buyer.id, key });
    expect(stored.expiresAt.getTime() - before).toBeGreaterThanOrEqual(24 * 3_600_000);

    await order.orm.em
      .fork()
      .nativeUpdate(IdempotencyKey, { userId: buyer.id, key }, { expiresAt: new Date(Date.now() - 1) });
    const res = await request(order.app, 'POST', '/orders', body, withKey(buyer.headers, key));
    expect(res.status).toBe(201);
    expect(await countOrders(buyer.id)).toBe(2);
  });

  it('accepts a key of exactly 200 characters', async () => {
    const buyer = await order.user();
    const res = await request(
      order.app,
      'POST',
      '/orders',
      { items: [{ productId: tea, quantity: 1 }] },
      withKey(buyer.headers, 'k'.repeat(200)),
    );
    expect(res.status).toBe(201);
  });
});

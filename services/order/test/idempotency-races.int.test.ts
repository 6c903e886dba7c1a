import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashRequest } from '../src/domain/request-hash.ts';
import { holdKey } from './key-holder.ts';
import { request, startTeaAndMugShop, type TestOrder } from './harness.ts';

let order: TestOrder;
let tea: number;
let mug: number;
let countOrders: (userId: string) => Promise<number>;
let withKey: (headers: Record<string, string>, key: string) => Record<string, string>;
beforeAll(async () => {
  ({ order, tea, mug, countOrders, withKey } = await startTeaAndMugShop('idempotency-races'));
});
afterAll(() => order.close());

describe('concurrent POST /orders with one Idempotency-Key', () => {
  it('creates one order for five concurrent requests with one key, and answers all with it', async () => {
    const buyer = await order.user();
    const key = crypto.randomUUID();
    const body = { items: [{ productId: mug, quantity: 3 }] };
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        request(order.app, 'POST', '/orders', body, withKey(buyer.headers, key)),
      ),
    );
    expect(responses.map((res) => res.status)).toEqual([201, 201, 201, 201, 201]);
    const bodies = await Promise.all(responses.map((res) => res.text()));
    expect(new Set(bodies).size).toBe(1);
    expect(await countOrders(buyer.id)).toBe(1);
  });

  it("makes a request wait while another holds its key, then answers with that one's response", async () => {
    const buyer = await order.user();
    const key = crypto.randomUUID();
    const body = { items: [{ productId: tea, quantity: 4 }] };
    const stored = { id: 1, status: 'pending', note: 'stored by the request that holds the key' };
    const holder = holdKey(order.orm, buyer.id, key, hashRequest({ items: body.items }));
    await holder.claimed;

    const pending = request(order.app, 'POST', '/orders', body, withKey(buyer.headers, key));
    let settled = false;
    void Promise.resolve(pending).then(() => (settled = true));
    await holder.waitedOn();
    expect(settled).toBe(false);

    await holder.commit(stored);
    const res = await pending;
    expect(res.status).toBe(201);
    expect(await res.json()).toStrictEqual(stored);
    expect(await countOrders(buyer.id)).toBe(0);
  });

  it('lets a waiting request go ahead when the one holding its key rolls back', async () => {
    const buyer = await order.user();
    const key = crypto.randomUUID();
    const body = { items: [{ productId: tea, quantity: 4 }] };
    const holder = holdKey(order.orm, buyer.id, key, hashRequest({ items: body.items }));
    await holder.claimed;

    const pending = request(order.app, 'POST', '/orders', body, withKey(buyer.headers, key));
    await holder.waitedOn();
    await holder.rollback();
    const res = await pending;
    expect(res.status).toBe(201);
    expect(await countOrders(buyer.id)).toBe(1);
  });

  it('lets one of two concurrent requests with one key and different bodies win, the other gets 422', async () => {
    const buyer = await order.user();
    const key = crypto.randomUUID();
    const responses = await Promise.all([
      request(
        order.app,
        'POST',
        '/orders',
        { items: [{ productId: tea, quantity: 1 }] },
        withKey(buyer.headers, key),
      ),
      request(
        order.app,
        'POST',
        '/orders',
        { items: [{ productId: tea, quantity: 2 }] },
        withKey(buyer.headers, key),
      ),
    ]);
    expect(responses.map((res) => res.status).sort()).toEqual([201, 422]);
    expect(await countOrders(buyer.id)).toBe(1);
  });
});

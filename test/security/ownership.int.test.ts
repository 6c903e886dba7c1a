import { eventually, signValidToken } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRoute, fillPath, routesOf } from '../support/routes.ts';
import { serviceNames, startWholeShop, type ShopUser, type WholeShop } from '../support/whole-shop.ts';

let shop: WholeShop;
let alice: ShopUser;
let bob: ShopUser;
let aliceKey: string;
let aliceOrder: { id: number };

/** Auth's own kind of token for `user`, valid 5 minutes (the harness's real ones live 60 seconds). */
const headersOf = async (user: ShopUser, extra: Record<string, string> = {}) => ({
  Authorization: `Bearer ${await signValidToken(shop.trustedKey(), { sub: user.id, role: 'user' })}`,
  'Content-Type': 'application/json',
  ...extra,
});

const call = async (
  service: keyof WholeShop['apps'],
  user: ShopUser,
  method: string,
  url: string,
  body?: unknown,
  extra?: Record<string, string>,
) => {
  const res = await shop.apps[service].request(url, {
    method,
    headers: await headersOf(user, extra),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, text: await res.text() };
};

const placeOrder = (user: ShopUser, key: string) =>
  call(
    'order',
    user,
    'POST',
    '/orders',
    { items: [{ productId: 1, quantity: 1 }] },
    { 'Idempotency-Key': key },
  );

/** Everything Alice can see of her own: it must read the same after Bob has tried every route. */
const aliceView = async () => ({
  me: await call('auth', alice, 'GET', '/auth/me'),
  order: await call('order', alice, 'GET', `/orders/${aliceOrder.id}`),
  payments: await call('payment', alice, 'GET', `/payments?orderId=${aliceOrder.id}`),
});

beforeAll(async () => {
  shop = await startWholeShop('sec_owner');
  [alice, bob] = await Promise.all([shop.signUp('alice'), shop.signUp('bob')]);
  aliceKey = `alice-${crypto.randomUUID()}`;
  const placed = await placeOrder(alice, aliceKey);
  expect(placed.status).toBe(201);
  aliceOrder = JSON.parse(placed.text) as { id: number };
  // Charged through RabbitMQ by the real payment service: Alice's payment exists before Bob looks.
  await eventually(async () => {
    const payments = await call('payment', alice, 'GET', `/payments?orderId=${aliceOrder.id}`);
    expect(JSON.parse(payments.text)).toHaveLength(1);
  });
});
afterAll(() => shop.close());

describe("user B and user A's orders and payments", () => {
  it("answers B about A's order and A's payment exactly as about ones that do not exist", async () => {
    const missing = aliceOrder.id + 1_000_000;
    const order = await call('order', bob, 'GET', `/orders/${aliceOrder.id}`);
    const payments = await call('payment', bob, 'GET', `/payments?orderId=${aliceOrder.id}`);
    expect(order.status).toBe(404);
    expect(JSON.parse(order.text)).toMatchObject({ error: { code: 'not_found' } });
    // The payments of an order are a list of one's own: someone else's order gives none.
    expect(payments).toEqual({ status: 200, text: '[]' });
    expect(await call('payment', bob, 'GET', `/payments?orderId=${missing}`)).toEqual(payments);
  });

  it("lists none of A's orders to B", async () => {
    const list = await call('order', bob, 'GET', '/orders?limit=50');
    expect(list.status).toBe(200);
    expect((JSON.parse(list.text) as { items: { id: number }[] }).items.map((o) => o.id)).not.toContain(
      aliceOrder.id,
    );
  });

  it("gives B an order of B's own for A's Idempotency-Key, and A still gets A's order back for it", async () => {
    const bobs = await placeOrder(bob, aliceKey);
    expect(bobs.status).toBe(201);
    expect((JSON.parse(bobs.text) as { id: number }).id).not.toBe(aliceOrder.id);
    const replay = await placeOrder(alice, aliceKey);
    expect((JSON.parse(replay.text) as { id: number }).id).toBe(aliceOrder.id);
  });

  it("never shows or changes anything of A's through any route of any service called by B with A's ids", async () => {
    const before = await aliceView();
    for (const service of serviceNames) {
      for (const route of await routesOf(service, shop.apps[service])) {
        // Every id-like parameter names A's order; anything else gets a plain value.
        const ids = Object.fromEntries(route.parameters.map((p) => [p.name, String(aliceOrder.id)]));
        const query = route.parameters
          .filter((p) => p.in === 'query')
          .map((p) => `${p.name}=${aliceOrder.id}`)
          .join('&');
        const url = `${fillPath(route.path, ids)}${query ? `?${query}` : ''}`;
        const example = route.body && route.resolve(route.body).example;
        const res = await call(
          service,
          bob,
          route.method,
          url,
          route.method === 'GET' ? undefined : (example ?? {}),
        );
        const where = `${describeRoute(route)} as B -> ${res.status} ${res.text.slice(0, 300)}`;
        expect(res.text, where).not.toContain(alice.id);
        expect(res.text, where).not.toContain(alice.email);
        if (res.status < 300 && (service === 'order' || service === 'payment')) {
          expect(res.text, where).not.toMatch(new RegExp(`"(id|orderId)":${aliceOrder.id}[,}]`));
        }
      }
    }
    expect(await aliceView()).toEqual(before);
  });
});

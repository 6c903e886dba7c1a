import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startOrder, type ErrorBody, type TestOrder } from './harness.ts';
import { watchOrders, type AdminOrder, type OrderFlow } from './order-flow.ts';

let order: TestOrder;
let flow: OrderFlow;
let admin: Record<string, string>;
let tea: number;

beforeAll(async () => {
  order = await startOrder('admin_card');
  tea = (await order.catalog.add({ name: 'Tea', priceCents: 450, currency: 'EUR', stock: 1_000 }))[0]!.id;
  flow = await watchOrders(order, tea);
  admin = (await order.user('admin')).headers;
});
afterAll(async () => {
  await flow.close();
  await order.close();
});

const delivery = { name: 'Anna Petrova', phone: '+44 20 7946 0958', address: '221B Baker Street, London' };
const card = (id: number | string, headers = admin) =>
  request(order.app, 'GET', `/admin/orders/${id}`, undefined, headers);

describe('GET /admin/orders/:id', () => {
  it("shows an admin any buyer's order in full, as the list does", async () => {
    const placed = await flow.paidOrder({ items: [{ productId: tea, quantity: 2 }], delivery });
    const res = await card(placed.created.id);
    expect(res.status).toBe(200);
    const shown = (await res.json()) as AdminOrder;
    const listed = (await (
      await request(order.app, 'GET', '/admin/orders?status=paid&limit=50', undefined, admin)
    ).json()) as {
      items: AdminOrder[];
    };
    expect(shown).toStrictEqual(listed.items.find((item) => item.id === placed.created.id));
    expect(shown).toMatchObject({ status: 'paid', userId: placed.buyer.id, delivery });
    expect(shown.statusHistory.map((entry) => entry.status)).toEqual(['pending', 'awaiting_payment', 'paid']);
  });

  it('answers 403 to a buyer, even for their own order, and 404 for an order that does not exist', async () => {
    const placed = await flow.placeOrder();
    const refused = await card(placed.created.id, placed.buyer.headers);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).error.code).toBe('forbidden');
    expect((await card('999999999999')).status).toBe(404);
    expect((await card('abc')).status).toBe(400);
  });
});

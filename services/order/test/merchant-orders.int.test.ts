import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startOrder, type ErrorBody, type OrderBody, type TestOrder } from './harness.ts';
import { watchOrders, type AdminOrder, type OrderFlow } from './order-flow.ts';

let order: TestOrder;
let flow: OrderFlow;
let tea: number;
let admin: Record<string, string>;
let otherAdmin: Record<string, string>;

beforeAll(async () => {
  order = await startOrder('merchant', { ownDatabase: true });
  tea = (await order.catalog.add({ name: 'Tea', priceCents: 450, currency: 'EUR', stock: 1_000 }))[0]!.id;
  flow = await watchOrders(order, tea);
  admin = (await order.user('admin')).headers;
  otherAdmin = (await order.user('admin')).headers;
});
afterAll(async () => {
  await flow.close();
  await order.close();
});

const delivery = { name: 'Anna Petrova', phone: '+44 20 7946 0958', address: '221B Baker Street, London' };
const ship = (id: number, headers: Record<string, string>, body?: object) =>
  request(order.app, 'POST', `/orders/${id}/ship`, body, headers);
const deliverOrder = (id: number, headers: Record<string, string>) =>
  request(order.app, 'POST', `/orders/${id}/deliver`, undefined, headers);
const adminList = (query: string, headers = admin) =>
  request(order.app, 'GET', `/admin/orders${query}`, undefined, headers);
const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error;
const typesOf = (orderId: number) => flow.eventsFor(orderId).map((event) => event.type);

/** A paid order that was shipped, as the merchant ships it. */
async function shippedOrder() {
  const placed = await flow.paidOrder();
  expect((await ship(placed.created.id, admin)).status).toBe(200);
  return placed;
}

describe('GET /admin/orders', () => {
  it("lists every buyer's orders newest first, with lines, total, buyer, delivery details and history", async () => {
    const first = await flow.placeOrder({ items: [{ productId: tea, quantity: 2 }], delivery });
    const second = await flow.paidOrder();

    const res = await adminList('?limit=50');

    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: AdminOrder[]; page: number; limit: number; total: number };
    expect(page).toMatchObject({ page: 1, limit: 50 });
    const ids = page.items.map((item) => item.id);
    expect(ids.indexOf(second.created.id)).toBeLessThan(ids.indexOf(first.created.id));
    expect(ids.indexOf(second.created.id)).toBeGreaterThanOrEqual(0);
    expect(page.items.find((item) => item.id === first.created.id)).toEqual({
      ...first.created,
      userId: first.buyer.id,
      delivery,
      statusHistory: [{ status: 'pending', at: first.created.createdAt }],
    });
    expect(page.items.find((item) => item.id === second.created.id)).toMatchObject({
      userId: second.buyer.id,
      status: 'paid',
      items: second.created.items,
      totalCents: 900,
      statusHistory: [{ status: 'pending' }, { status: 'awaiting_payment' }, { status: 'paid' }],
    });
  });

  it('lists only the orders in the status asked for, a page at a time', async () => {
    await flow.paidOrder();
    await flow.paidOrder();

    const paid = (await (await adminList('?status=paid&limit=50')).json()) as { items: AdminOrder[] };
    const [one, two] = await Promise.all([
      adminList('?status=paid&limit=1'),
      adminList('?status=paid&page=2&limit=1'),
    ]);

    expect(paid.items.length).toBeGreaterThanOrEqual(2);
    expect(paid.items.every((item) => item.status === 'paid')).toBe(true);
    const [first, second] = [
      (await one.json()) as { items: AdminOrder[]; total: number },
      (await two.json()) as { items: AdminOrder[] },
    ];
    expect(first.items).toHaveLength(1);
    expect(first.total).toBeGreaterThanOrEqual(2);
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
  });

  it('answers 400 for a status that does not exist and a page size above 50', async () => {
    for (const query of ['?status=lost', '?limit=51', '?page=0']) {
      const res = await adminList(query);
      expect(res.status, query).toBe(400);
      expect((await errorOf(res)).code).toBe('validation_failed');
    }
  });
});

describe('POST /orders/:id/ship and /deliver', () => {
  it('ships a paid order with its tracking note and announces it; the buyer sees the note', async () => {
    const { buyer, created } = await flow.paidOrder();

    const res = await ship(created.id, admin, { trackingNote: '  DHL 00340434161094042557 ' });

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: created.id,
      userId: buyer.id,
      status: 'shipped',
      trackingNote: 'DHL 00340434161094042557',
    });
    expect(await flow.detailOf(created, buyer.headers)).toMatchObject({
      status: 'shipped',
      trackingNote: 'DHL 00340434161094042557',
    });
    await flow.announced(created.id, ['order.created', 'order.paid', 'order.shipped']);
    expect(flow.eventsFor(created.id)[2]?.data).toEqual({
      orderId: created.id,
      userId: buyer.id,
      trackingNote: 'DHL 00340434161094042557',
    });
  });

  it('ships without a note, whether the body is absent, empty or {}', async () => {
    for (const send of [
      (id: number) => order.app.request(`/orders/${id}/ship`, { method: 'POST', headers: admin }),
      (id: number) => ship(id, admin),
      (id: number) => ship(id, admin, {}),
    ]) {
      const { buyer, created } = await flow.paidOrder();
      const res = await send(created.id);
      expect(res.status).toBe(200);
      const shipped = (await res.json()) as AdminOrder;
      expect(shipped.status).toBe('shipped');
      expect(shipped.trackingNote).toBeUndefined();
      await flow.announced(created.id, ['order.created', 'order.paid', 'order.shipped']);
      expect(flow.eventsFor(created.id)[2]?.data).toEqual({ orderId: created.id, userId: buyer.id });
    }
  });

  it('delivers a shipped order and announces it', async () => {
    const { buyer, created } = await shippedOrder();

    const res = await deliverOrder(created.id, admin);

    expect(res.status).toBe(200);
    expect(await flow.historyOf(created, buyer.headers)).toEqual([
      'pending',
      'awaiting_payment',
      'paid',
      'shipped',
      'delivered',
    ]);
    await flow.announced(created.id, ['order.created', 'order.paid', 'order.shipped', 'order.delivered']);
    expect(flow.eventsFor(created.id)[3]?.data).toEqual({ orderId: created.id, userId: buyer.id });
  });

  it('lets exactly one of two admins pressing Ship at once ship the order; the other gets 409', async () => {
    const orders = await Promise.all(Array.from({ length: 5 }, () => flow.paidOrder()));

    const answers = await Promise.all(
      orders.map(({ created }) =>
        Promise.all([
          ship(created.id, admin, { trackingNote: 'first' }),
          ship(created.id, otherAdmin, { trackingNote: 'second' }),
        ]),
      ),
    );

    for (const [index, pair] of answers.entries()) {
      const { buyer, created } = orders[index]!;
      expect(pair.map((res) => res.status).sort()).toEqual([200, 409]);
      const loser = pair.find((res) => res.status === 409)!;
      expect(await errorOf(loser)).toEqual({
        code: 'invalid_transition',
        message: `Order ${created.id} is already shipped`,
        details: { status: 'shipped' },
      });
      const winner = (await pair.find((res) => res.status === 200)!.json()) as AdminOrder;
      expect((await flow.detailOf(created, buyer.headers)).trackingNote).toBe(winner.trackingNote);
      expect(await flow.historyOf(created, buyer.headers)).toEqual([
        'pending',
        'awaiting_payment',
        'paid',
        'shipped',
      ]);
      await flow.announced(created.id, ['order.created', 'order.paid', 'order.shipped']);
    }
  });

  it('refuses to ship a cancelled order or deliver an unshipped one, with 409 invalid_transition, changing nothing', async () => {
    const cancelled = await flow.placeOrder();
    expect((await flow.cancel(cancelled.created.id, cancelled.buyer.headers)).status).toBe(200);
    const paid = await flow.paidOrder();
    const pending = await flow.placeOrder();

    const refusals = [
      [await ship(cancelled.created.id, admin), 'cancelled', 'shipped'],
      [await ship(pending.created.id, admin), 'pending', 'shipped'],
      [await deliverOrder(paid.created.id, admin), 'paid', 'delivered'],
      [await deliverOrder(cancelled.created.id, admin), 'cancelled', 'delivered'],
    ] as const;

    for (const [res, status, verb] of refusals) {
      expect(res.status).toBe(409);
      const error = await errorOf(res);
      expect(error).toMatchObject({ code: 'invalid_transition', details: { status } });
      expect(error.message).toContain(`is ${status} and cannot be ${verb}`);
    }
    expect(await flow.historyOf(cancelled.created, cancelled.buyer.headers)).toEqual([
      'pending',
      'cancelled',
    ]);
    expect(await flow.historyOf(paid.created, paid.buyer.headers)).toEqual([
      'pending',
      'awaiting_payment',
      'paid',
    ]);
    expect(await flow.statusOf(pending.created, pending.buyer.headers)).toBe('pending');
    expect(typesOf(paid.created.id)).toEqual(['order.created', 'order.paid']);
  });

  it('answers 404 for an order that does not exist and 400 for a bad tracking note', async () => {
    const { buyer, created } = await flow.paidOrder();
    expect((await ship(987_654_321, admin)).status).toBe(404);
    expect((await deliverOrder(987_654_321, admin)).status).toBe(404);
    for (const body of [
      { trackingNote: '' },
      { trackingNote: '   ' },
      { trackingNote: 'x'.repeat(501) },
      { trackingNote: 42 },
      { note: 'typo' },
    ]) {
      const res = await ship(created.id, admin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const text = await order.app.request(`/orders/${created.id}/ship`, {
      method: 'POST',
      headers: { ...admin, 'Content-Type': 'text/plain' },
      body: 'DHL 123',
    });
    expect(text.status).toBe(415);
    expect(await flow.statusOf(created, buyer.headers)).toBe('paid');
  });
});

describe('POST /orders/:id/cancel by an admin', () => {
  it('cancels a paid order as the merchant, with the reason, announcing that it was paid', async () => {
    const { buyer, created } = await flow.paidOrder();

    const res = await flow.cancel(created.id, admin, { note: 'Sorry, this tea is no longer made' });

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: created.id,
      userId: buyer.id,
      status: 'cancelled',
      cancelReason: 'merchant',
      cancelNote: 'Sorry, this tea is no longer made',
    });
    expect(await flow.detailOf(created, buyer.headers)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'merchant',
      cancelNote: 'Sorry, this tea is no longer made',
    });
    await flow.announced(created.id, ['order.created', 'order.paid', 'order.cancelled']);
    expect(flow.eventsFor(created.id)[2]?.data).toEqual({
      orderId: created.id,
      userId: buyer.id,
      reason: 'merchant',
      items: created.items,
      note: 'Sorry, this tea is no longer made',
      wasPaid: true,
    });
  });

  it('cancels a shipped order and one not paid yet; only the shipped one was paid', async () => {
    const shipped = await shippedOrder();
    const unpaid = await flow.placeOrder();
    await flow.deliver(flow.reserved(unpaid.created.id, unpaid.buyer.id));

    expect((await flow.cancel(shipped.created.id, admin)).status).toBe(200);
    expect((await flow.cancel(unpaid.created.id, admin)).status).toBe(200);

    await flow.announced(shipped.created.id, [
      'order.created',
      'order.paid',
      'order.shipped',
      'order.cancelled',
    ]);
    expect(flow.eventsFor(shipped.created.id)[3]?.data).toMatchObject({ reason: 'merchant', wasPaid: true });
    await flow.announced(unpaid.created.id, ['order.created', 'order.cancelled']);
    expect(flow.eventsFor(unpaid.created.id)[1]?.data).not.toHaveProperty('wasPaid');
    expect(flow.eventsFor(unpaid.created.id)[1]?.data).toMatchObject({ reason: 'merchant' });
  });

  it('cancels a paid order once however often it is asked: one history row, one event', async () => {
    const { buyer, created } = await flow.paidOrder();

    const answers = await Promise.all([
      flow.cancel(created.id, admin, { note: 'first' }),
      flow.cancel(created.id, otherAdmin, { note: 'second' }),
    ]);
    const again = await flow.cancel(created.id, admin);

    expect(answers.map((res) => res.status).sort()).toEqual([200, 409]);
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toMatchObject({
      code: 'invalid_transition',
      details: { status: 'cancelled' },
    });
    expect(await flow.historyOf(created, buyer.headers)).toEqual([
      'pending',
      'awaiting_payment',
      'paid',
      'cancelled',
    ]);
    await flow.announced(created.id, ['order.created', 'order.paid', 'order.cancelled']);
  });

  it('refuses to cancel a delivered order with 409 invalid_transition, changing nothing', async () => {
    const { buyer, created } = await shippedOrder();
    expect((await deliverOrder(created.id, admin)).status).toBe(200);

    const res = await flow.cancel(created.id, admin, { note: 'too late' });

    expect(res.status).toBe(409);
    expect(await errorOf(res)).toEqual({
      code: 'invalid_transition',
      message: `Order ${created.id} is delivered and cannot be cancelled`,
      details: { status: 'delivered' },
    });
    expect(await flow.detailOf(created, buyer.headers)).not.toHaveProperty('cancelNote');
    await flow.announced(created.id, ['order.created', 'order.paid', 'order.shipped', 'order.delivered']);
  });
});

describe('a buyer on the merchant routes', () => {
  it('is refused with 403 and changes nothing: no list, no ship, no deliver', async () => {
    const paid = await flow.paidOrder();
    const shipped = await shippedOrder();
    const buyer = paid.buyer.headers;

    const answers = [
      await adminList('', buyer),
      await ship(paid.created.id, buyer, { trackingNote: 'mine' }),
      await deliverOrder(shipped.created.id, shipped.buyer.headers),
    ];

    for (const res of answers) {
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('forbidden');
    }
    expect(await flow.statusOf(paid.created, buyer)).toBe('paid');
    expect(await flow.statusOf(shipped.created, shipped.buyer.headers)).toBe('shipped');
    expect(typesOf(paid.created.id)).toEqual(['order.created', 'order.paid']);
  });

  it('cannot cancel their own paid order (409) nor anyone else’s (404), and their cancel is `buyer`', async () => {
    const paid = await flow.paidOrder();
    const unpaid: { buyer: { headers: Record<string, string> }; created: OrderBody } =
      await flow.placeOrder();

    const own = await flow.cancel(paid.created.id, paid.buyer.headers, { note: 'changed my mind' });
    const theirs = await flow.cancel(paid.created.id, unpaid.buyer.headers);
    const mine = await flow.cancel(unpaid.created.id, unpaid.buyer.headers, { note: 'changed my mind' });

    expect(own.status).toBe(409);
    expect(theirs.status).toBe(404);
    expect(mine.status).toBe(200);
    const body = await mine.json();
    expect(body).toMatchObject({ status: 'cancelled', cancelReason: 'buyer', cancelNote: 'changed my mind' });
    expect(body).not.toHaveProperty('userId');
    expect(await flow.statusOf(paid.created, paid.buyer.headers)).toBe('paid');
  });

  it('is refused without a token (401) before anything else', async () => {
    expect((await adminList('', {})).status).toBe(401);
    expect((await ship(1, {})).status).toBe(401);
    expect((await deliverOrder(1, {})).status).toBe(401);
  });
});

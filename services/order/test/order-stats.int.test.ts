import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderStatus } from '../src/domain/order-status.ts';
import { request, type ErrorBody } from './harness.ts';
import { startOrderForTest, type StartedOrder } from './start.ts';

// The statistics count every order of the service: this suite has a database of its own.
let order: StartedOrder;
// The service's clock: 10:30 UTC on 15 March 2026. Today is 15 March (UTC), the last 7 days
// start on 9 March, the last 30 on 14 February.
const now = new Date('2026-03-15T10:30:00.000Z');

beforeAll(async () => {
  // Nothing here places orders: the catalog is never asked.
  order = await startOrderForTest({
    suite: 'order_stats',
    env: { CATALOG_URL: 'http://127.0.0.1:9' },
    now: () => now,
  });
  await placeKnownOrders();
});
afterAll(() => order.close());

interface Line {
  productId: number;
  name: string;
  unitPriceCents: number;
  quantity: number;
}
const tea = (quantity: number, name = 'Tea'): Line => ({ productId: 1, name, unitPriceCents: 450, quantity });
const mug = (quantity: number): Line => ({ productId: 2, name: 'Mug', unitPriceCents: 1_299, quantity });
const book = (quantity: number): Line => ({ productId: 3, name: 'Book', unitPriceCents: 2_000, quantity });

const buyer = {
  anna: crypto.randomUUID(), // bought before the last 30 days: never new
  boris: crypto.randomUUID(), // first paid order at the very start of the last 30 days
  clara: crypto.randomUUID(), // first paid order at the very start of the last 7 days
  dmitri: crypto.randomUUID(), // no paid order: his paid one was cancelled (refunded)
  elena: crypto.randomUUID(), // only before the last 30 days
  gleb: crypto.randomUUID(), // pays in USD, one instant before the last 7 days
};

/** Orders as they stand, written at known times (the arrangement; the route only reads). */
async function placeKnownOrders() {
  const em = order.orm.em.fork();
  const place = async (userId: string, status: OrderStatus, at: string, lines: Line[], currency = 'EUR') => {
    const total = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
    const [row] = await em.execute<{ id: string }[]>(
      `insert into orders (user_id, status, cancel_reason, total_cents, currency, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?) returning id`,
      [userId, status, status === 'cancelled' ? 'merchant' : null, total, currency, at, at],
    );
    for (const line of lines)
      await em.execute(
        'insert into order_items (order_id, product_id, name, unit_price_cents, quantity) values (?, ?, ?, ?, ?)',
        [row!.id, line.productId, line.name, line.unitPriceCents, line.quantity],
      );
  };
  await place(buyer.anna, 'delivered', '2026-02-03T12:00:00.000Z', [tea(2)]);
  await place(buyer.elena, 'paid', '2026-02-13T23:59:59.999Z', [mug(10)]);
  await place(buyer.boris, 'paid', '2026-02-14T00:00:00.000Z', [tea(1, 'Чай')]);
  await place(buyer.gleb, 'paid', '2026-03-08T23:59:59.999Z', [book(1)], 'USD');
  await place(buyer.clara, 'delivered', '2026-03-09T00:00:00.000Z', [tea(5)]);
  await place(buyer.boris, 'shipped', '2026-03-14T23:59:59.999Z', [mug(2)]);
  await place(buyer.anna, 'paid', '2026-03-15T00:00:00.000Z', [tea(1), mug(1)]);
  await place(buyer.dmitri, 'cancelled', '2026-03-15T09:00:00.000Z', [mug(3)]);
  await place(buyer.dmitri, 'awaiting_payment', '2026-03-15T10:00:00.000Z', [tea(1)]);
  // Tomorrow's (a clock ahead of this one): in no period yet.
  await place(buyer.gleb, 'paid', '2026-03-16T00:00:00.000Z', [book(4)], 'USD');
}

const statuses = (counts: Partial<Record<OrderStatus, number>>) => ({
  pending: 0,
  awaiting_payment: 0,
  paid: 0,
  shipped: 0,
  delivered: 0,
  cancelled: 0,
  payment_failed: 0,
  ...counts,
});

describe('GET /admin/stats', () => {
  it('counts orders, revenue and buyers in whole UTC days: today, the last 7 and the last 30', async () => {
    const admin = await order.user('admin');
    const res = await request(order.app, 'GET', '/admin/stats', undefined, admin.headers);
    expect(res.status).toBe(200);
    const stats = (await res.json()) as Record<string, unknown>;
    expect(stats).toMatchObject({ timeZone: 'UTC', asOf: '2026-03-15T10:30:00.000Z' });
    expect(stats.periods).toStrictEqual({
      today: {
        since: '2026-03-15T00:00:00.000Z',
        orders: 3,
        byStatus: statuses({ paid: 1, cancelled: 1, awaiting_payment: 1 }),
        paidOrders: 1,
        revenue: [{ currency: 'EUR', totalCents: 1_749 }],
        buyers: 1,
        newBuyers: 0,
      },
      last7Days: {
        since: '2026-03-09T00:00:00.000Z',
        orders: 5,
        byStatus: statuses({ paid: 1, shipped: 1, delivered: 1, cancelled: 1, awaiting_payment: 1 }),
        paidOrders: 3,
        revenue: [{ currency: 'EUR', totalCents: 1_749 + 2_598 + 2_250 }],
        buyers: 3,
        newBuyers: 1,
      },
      last30Days: {
        since: '2026-02-14T00:00:00.000Z',
        orders: 7,
        byStatus: statuses({ paid: 3, shipped: 1, delivered: 1, cancelled: 1, awaiting_payment: 1 }),
        paidOrders: 5,
        revenue: [
          { currency: 'EUR', totalCents: 1_749 + 2_598 + 2_250 + 450 },
          { currency: 'USD', totalCents: 2_000 },
        ],
        buyers: 4,
        newBuyers: 3,
      },
    });
  });

  it('ranks the products of paid orders of the last 30 days by units and by revenue', async () => {
    const admin = await order.user('admin');
    const res = await request(order.app, 'GET', '/admin/stats', undefined, admin.headers);
    const { topProducts } = (await res.json()) as { topProducts: unknown };
    // Elena's 10 mugs are older, Dmitri's 3 were refunded: neither counts.
    const teaSales = { productId: 1, name: 'Tea', currency: 'EUR', units: 7, revenueCents: 3_150 };
    const mugSales = { productId: 2, name: 'Mug', currency: 'EUR', units: 3, revenueCents: 3_897 };
    const bookSales = { productId: 3, name: 'Book', currency: 'USD', units: 1, revenueCents: 2_000 };
    expect(topProducts).toStrictEqual({
      since: '2026-02-14T00:00:00.000Z',
      byUnits: [teaSales, mugSales, bookSales],
      byRevenue: [mugSales, teaSales, bookSales],
    });
  });

  it('answers 403 to a buyer and 401 without a token, showing no figure', async () => {
    const user = await order.user();
    const refused = await request(order.app, 'GET', '/admin/stats', undefined, user.headers);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).error.code).toBe('forbidden');
    expect((await request(order.app, 'GET', '/admin/stats')).status).toBe(401);
  });
});

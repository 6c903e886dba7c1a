/**
 * A Telegram payment and the order's cancellation, in every order they can meet, through the real
 * auth, catalog, order and payment services (test/support/in-process-shop.ts) with a provider
 * connected: the money is kept exactly when the order ends up paid, and otherwise given back
 * exactly once. Stars refunds go to a fake Bot API that counts them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invoicePayloadOf } from '@shop/shared';
import { eventually, requestJson, testLogger } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_TOKEN } from '../../services/auth/test/start.ts';
import { catalogAdmin } from '../../services/catalog/test/start.ts';
import { expireReservations } from '../../services/order/src/workers/reservation-expiry.ts';
import { startShopInProcess, type InProcessShop, type ShopUser } from '../support/in-process-shop.ts';

let shop: InProcessShop;
let telegram: Server;
/** The refundStarPayment calls the fake Bot API got: their charge ids. */
const starRefunds: string[] = [];
const products = { eur: 0, stars: 0 };

beforeAll(async () => {
  telegram = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url?.endsWith('/refundStarPayment'))
        starRefunds.push(
          (JSON.parse(body) as { telegram_payment_charge_id: string }).telegram_payment_charge_id,
        );
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ ok: true, result: true }));
    });
  });
  await new Promise<void>((resolve) => telegram.listen(0, '127.0.0.1', resolve));
  shop = await startShopInProcess({
    suite: 'tgraces',
    partEnv: {
      payment: {
        TELEGRAM_PAYMENT_PROVIDER_TOKEN: '284685063:TEST:races',
        TELEGRAM_BOT_TOKEN: '123456:races',
        TELEGRAM_API_ROOT: `http://127.0.0.1:${(telegram.address() as AddressInfo).port}`,
        PAYMENT_REFUND_INTERVAL_MS: '50',
      },
    },
  });
  const admin = catalogAdmin(shop.catalog, await shop.adminToken());
  const product = async (currency: string, priceCents: number) => {
    const name = { en: `Race ${currency}`, ru: `Гонка ${currency}` };
    const res = await admin('POST', '/products', {
      name,
      description: name,
      priceCents,
      currency,
      stock: 1_000,
      categoryId: 1,
    });
    return ((await res.json()) as { id: number }).id;
  };
  products.eur = await product('EUR', 1_200);
  products.stars = await product('XTR', 30);
}, 120_000);
afterAll(async () => {
  await shop.close();
  await new Promise((resolve) => telegram.close(resolve));
});

const bearer = (user: ShopUser) => ({ Authorization: `Bearer ${user.accessToken}` });

/** A buyer's order of one unit, once it awaits payment and its invoice is issued. */
async function awaitingPayment(productId: number) {
  const buyer = await shop.signUp('payer');
  const placed = await requestJson(
    shop.order.app,
    'POST',
    '/orders',
    { items: [{ productId, quantity: 1 }] },
    bearer(buyer),
  );
  expect(placed.status).toBe(201);
  const order = (await placed.json()) as { id: number; totalCents: number; currency: string };
  const query = {
    invoicePayload: invoicePayloadOf(order.id),
    currency: order.currency,
    totalAmount: order.totalCents,
  };
  await eventually(async () => {
    const res = await requestJson(
      shop.payment.app,
      'POST',
      '/payments/telegram/pre-checkout',
      query,
      bearer(buyer),
    );
    expect(await res.json()).toEqual({ ok: true });
  });
  // The order hears of its reservation on a queue of its own: maybe after payment did.
  await eventually(async () => expect(await statusOf(buyer, order.id)).toBe('awaiting_payment'));
  return { buyer, order, query };
}
type Awaiting = Awaited<ReturnType<typeof awaitingPayment>>;

async function orderOf(buyer: ShopUser, id: number) {
  const res = await shop.order.app.request(`/orders/${id}`, { headers: bearer(buyer) });
  return (await res.json()) as { status: string; cancelReason?: string; statusHistory: { status: string }[] };
}
const statusOf = async (buyer: ShopUser, id: number) => (await orderOf(buyer, id)).status;

/**
 * What Telegram's `successful_payment` says, posted as the bot does: over HTTP, so the payment
 * service handles it in a context of its own even while the test holds a transaction of the order
 * service (MikroORM finds a transaction through async context).
 */
async function pay({ buyer, query }: Awaiting) {
  const charge = `tg-${crypto.randomUUID()}`;
  const res = await fetch(`${shop.urls.payment}/payments/telegram`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...bearer(buyer), 'X-Service-Token': SERVICE_TOKEN },
    body: JSON.stringify({
      ...query,
      telegramPaymentChargeId: charge,
      providerPaymentChargeId: query.currency === 'XTR' ? '' : `pr-${crypto.randomUUID()}`,
      telegramUserId: 7_000_000 + Math.floor(Math.random() * 1e6),
    }),
  });
  expect(res.status).toBe(201);
  return { charge, payment: (await res.json()) as { status: string; refundReason: string | null } };
}

/** The payment service's events about the order, by type, from its outbox. */
async function paymentEvents(orderId: number) {
  const rows = await shop.payment.orm.em
    .fork()
    .execute<{ type: string }[]>(
      `select type from outbox where (payload->'data'->>'orderId')::bigint = ? order by occurred_at, id`,
      [orderId],
    );
  return rows.map((row) => row.type).filter((type) => type !== 'payment.requested');
}

/** Waits until the order service has applied the payment's `payment.succeeded` (its inbox has it). */
async function orderHeardPayment(orderId: number) {
  const [event] = await shop.payment.orm.em
    .fork()
    .execute<{ id: string }[]>(
      `select id from outbox where type = 'payment.succeeded' and (payload->'data'->>'orderId')::bigint = ?`,
      [orderId],
    );
  expect(event).toBeDefined();
  await eventually(async () => {
    const [row] = await shop.order.orm.em
      .fork()
      .execute<{ count: number }[]>('select count(*)::int as count from inbox where message_id = ?', [
        event!.id,
      ]);
    expect(row?.count).toBe(1);
  });
}

describe('a Telegram payment and a cancellation', { timeout: 60_000 }, () => {
  it('cancelled first, then paid: the order stays cancelled, the money is owed back once and never kept', async () => {
    const awaiting = await awaitingPayment(products.eur);
    const cancelled = await requestJson(
      shop.order.app,
      'POST',
      `/orders/${awaiting.order.id}/cancel`,
      undefined,
      bearer(awaiting.buyer),
    );
    expect(cancelled.status).toBe(200);
    await eventually(async () => {
      const res = await requestJson(
        shop.payment.app,
        'POST',
        '/payments/telegram/pre-checkout',
        awaiting.query,
        bearer(awaiting.buyer),
      );
      expect(await res.json()).toEqual({ ok: false, reason: 'cancelled' });
    });

    const { payment } = await pay(awaiting);

    expect(payment).toMatchObject({ status: 'refund_pending', refundReason: 'order_cancelled' });
    expect(await paymentEvents(awaiting.order.id)).toEqual(['payment.refund_pending']);
    expect(await orderOf(awaiting.buyer, awaiting.order.id)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'buyer',
    });
  });

  it('paid first, then the reservation swept as expired before the order heard of the payment: cancelled, owed back once', async () => {
    const awaiting = await awaitingPayment(products.eur);
    const { id } = awaiting.order;

    // The sweep holds the order while the payment is recorded, so the payment's news reaches the
    // order only after it was cancelled.
    await shop.order.orm.em.fork().transactional(async (em) => {
      await em.execute(`select id from orders where id = ? for update`, [id]);
      await em.execute(`update orders set reserved_until = now() - interval '1 second' where id = ?`, [id]);
      const { payment } = await pay(awaiting);
      expect(payment).toMatchObject({ status: 'succeeded', refundReason: null });
      await expireReservations(em, { limit: 1_000, logger: testLogger() });
    });

    await orderHeardPayment(id);
    expect(await orderOf(awaiting.buyer, id)).toMatchObject({ status: 'cancelled', cancelReason: 'expired' });
    expect((await orderOf(awaiting.buyer, id)).statusHistory.map((entry) => entry.status)).toEqual([
      'pending',
      'awaiting_payment',
      'cancelled',
    ]);
    await eventually(async () =>
      expect(await paymentEvents(id)).toEqual(['payment.succeeded', 'payment.refund_pending']),
    );
    const listed = await shop.payment.app.request(`/payments?orderId=${id}`, {
      headers: bearer(awaiting.buyer),
    });
    expect(await listed.json()).toMatchObject([{ status: 'refund_pending', method: 'telegram' }]);
  });

  it('the same with Stars: refunded with refundStarPayment exactly once', async () => {
    const awaiting = await awaitingPayment(products.stars);
    const { id } = awaiting.order;
    let charge = '';

    await shop.order.orm.em.fork().transactional(async (em) => {
      await em.execute(`select id from orders where id = ? for update`, [id]);
      await em.execute(`update orders set reserved_until = now() - interval '1 second' where id = ?`, [id]);
      charge = (await pay(awaiting)).charge;
      await expireReservations(em, { limit: 1_000, logger: testLogger() });
    });

    await orderHeardPayment(id);
    await eventually(async () =>
      expect(await paymentEvents(id)).toEqual([
        'payment.succeeded',
        'payment.refund_pending',
        'payment.refunded',
      ]),
    );
    expect(starRefunds.filter((refunded) => refunded === charge)).toHaveLength(1);
    expect(await statusOf(awaiting.buyer, id)).toBe('cancelled');
  });

  it('paid after the reservation ran out but before the sweep: the order is paid and the money kept', async () => {
    const awaiting = await awaitingPayment(products.eur);
    const { id } = awaiting.order;
    await shop.order.orm.em
      .fork()
      .execute(`update orders set reserved_until = now() - interval '1 second' where id = ?`, [id]);

    const { payment } = await pay(awaiting);

    expect(payment.status).toBe('succeeded');
    await orderHeardPayment(id);
    expect(await statusOf(awaiting.buyer, id)).toBe('paid');
    expect(await paymentEvents(id)).toEqual(['payment.succeeded']);
  });

  it('cancelled and paid at the same moment, 6 times: kept exactly when the order is paid, else owed back once', async () => {
    const orders = await Promise.all(Array.from({ length: 6 }, () => awaitingPayment(products.eur)));

    await Promise.all(
      orders.map((awaiting) =>
        Promise.all([
          requestJson(
            shop.order.app,
            'POST',
            `/orders/${awaiting.order.id}/cancel`,
            undefined,
            bearer(awaiting.buyer),
          ),
          pay(awaiting),
        ]),
      ),
    );

    for (const { buyer, order } of orders) {
      const settled = await eventually(async () => {
        const status = await statusOf(buyer, order.id);
        const events = await paymentEvents(order.id);
        expect(
          (status === 'paid' && events.join() === 'payment.succeeded') ||
            (status === 'cancelled' && events.at(-1) === 'payment.refund_pending'),
          `${status}: ${events.join()}`,
        ).toBe(true);
        return { status, events };
      });
      if (settled.status === 'cancelled')
        expect(settled.events.filter((type) => type === 'payment.refund_pending')).toHaveLength(1);
    }
  });
});

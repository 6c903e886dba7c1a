import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventEnvelope } from '@shop/shared';
import { requestJson } from '@shop/testkit';
import { afterSentinel, createRig, eventually, type Rig, handledBy } from './harness.ts';
import {
  cancellationOf,
  fakeTelegram,
  heldAnswer,
  INVOICE_ENV,
  invoicedOrder,
  recordPayment,
  successfulPayment,
  type InvoicedOrder,
} from './telegram.ts';

let rig: Rig;
let payment: Awaited<ReturnType<Rig['start']>>;
let admin: Awaited<ReturnType<Rig['user']>>;
const telegram = fakeTelegram();

beforeAll(async () => {
  rig = await createRig('adminrefunds');
  payment = await rig.start({ env: INVOICE_ENV, telegramFetch: telegram.fetch });
  admin = await rig.user('admin');
});
afterAll(async () => {
  await rig.close();
});

const handled = (event: EventEnvelope) => handledBy(rig, payment, event);

/** A provider payment for an order that expired first: owed back, waiting for the merchant. */
async function owedBack(order?: InvoicedOrder, paid?: ReturnType<typeof successfulPayment>) {
  const expired = order ?? (await invoicedOrder(rig, { totalCents: 3_100 }));
  const cancellation = cancellationOf(expired, 'expired');
  await rig.publish(cancellation);
  await handled(cancellation);
  const charge = paid ?? successfulPayment(expired);
  const res = await recordPayment(payment.app, expired.buyer, charge);
  const { id } = (await res.json()) as { id: string };
  return { order: expired, charge, id };
}

const markRefunded = (id: string, as = admin) =>
  requestJson(payment.app, 'POST', `/admin/payments/${id}/refunded`, undefined, as.headers);
const list = (query: string, as = admin) =>
  payment.app.request(`/admin/payments${query}`, { headers: as.headers });
const refundEvents = (order: InvoicedOrder) =>
  rig.eventsFor(order.orderId).filter((event) => event.type === 'payment.refunded');

describe('GET /admin/payments', () => {
  it('lists the provider payments owed back, newest first, with what the merchant needs to refund them', async () => {
    const older = await owedBack();
    const newer = await owedBack();

    const res = await list('?status=refund_pending&limit=100');

    expect(res.status).toBe(200);
    const page = (await res.json()) as {
      items: { id: string }[];
      page: number;
      limit: number;
      total: number;
    };
    expect(page).toMatchObject({ page: 1, limit: 100, total: expect.any(Number) });
    const ids = page.items.map((item) => item.id);
    expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
    expect(page.items.find((item) => item.id === older.id)).toStrictEqual({
      id: older.id,
      orderId: older.order.orderId,
      userId: older.order.buyer.id,
      status: 'refund_pending',
      amountCents: 3_100,
      currency: 'EUR',
      method: 'telegram',
      refundReason: 'order_expired',
      telegramPaymentChargeId: older.charge.telegramPaymentChargeId,
      providerPaymentChargeId: older.charge.providerPaymentChargeId,
      createdAt: expect.any(String),
    });
  });

  it('pages, and lists only the status asked for', async () => {
    await owedBack();
    await owedBack();

    const first = (await (await list('?status=refund_pending&page=1&limit=1')).json()) as {
      items: { status: string }[];
      total: number;
    };
    const second = (await (await list('?status=refund_pending&page=2&limit=1')).json()) as {
      items: { id: string }[];
    };

    expect(first.items).toHaveLength(1);
    expect(first.total).toBeGreaterThanOrEqual(2);
    expect(second.items).toHaveLength(1);
    const succeeded = (await (await list('?status=succeeded&limit=100')).json()) as {
      items: { status: string }[];
    };
    expect(succeeded.items.every((item) => item.status === 'succeeded')).toBe(true);
  });

  it('lists only the method asked for: the provider refunds to make by hand, however many Stars ones wait', async () => {
    const provider = await owedBack();
    // A Stars payment owed back whose refund Telegram has not answered yet: it stays refund_pending.
    const starsOrder = await invoicedOrder(rig, { currency: 'XTR', totalCents: 5 });
    const starsCharge = successfulPayment(starsOrder);
    const held = heldAnswer();
    telegram.answer(starsCharge.telegramPaymentChargeId, held.answer);
    const stars = await owedBack(starsOrder, starsCharge);
    await eventually(() => expect(telegram.refundsOf(starsCharge.telegramPaymentChargeId)).toHaveLength(1));

    const page = (await (await list('?status=refund_pending&method=telegram&limit=100')).json()) as {
      items: { id: string; method: string; status: string }[];
      total: number;
    };
    const all = (await (await list('?status=refund_pending&limit=100')).json()) as {
      items: { id: string; method: string }[];
    };
    held.release();

    const ids = page.items.map((item) => item.id);
    expect(ids).toContain(provider.id);
    expect(ids).not.toContain(stars.id);
    expect(all.items.map((item) => item.id)).toContain(stars.id);
    expect(page.items.every((item) => item.method === 'telegram' && item.status === 'refund_pending')).toBe(
      true,
    );
    expect(page.total).toBe(all.items.filter((item) => item.method === 'telegram').length);
    expect((await list('?method=paypal')).status).toBe(400);
  });

  it('answers 403 to a buyer, 401 without a token and 400 for a bad query', async () => {
    const buyer = await rig.user();

    expect((await list('?status=refund_pending', buyer)).status).toBe(403);
    expect((await payment.app.request('/admin/payments')).status).toBe(401);
    for (const query of ['?status=paid', '?page=0', '?limit=101', '?limit=x'])
      expect((await list(query)).status, query).toBe(400);
  });
});

describe('POST /admin/payments/:id/refunded', () => {
  it("marks a provider payment owed back refunded and announces it once, however often it's marked", async () => {
    const { order, charge, id } = await owedBack();

    const first = await markRefunded(id);
    const again = await markRefunded(id);

    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await first.json()).toMatchObject({ id, status: 'refunded', refundReason: 'order_expired' });
    expect(await again.json()).toMatchObject({ id, status: 'refunded' });
    await afterSentinel(rig.sentinel());
    expect(refundEvents(order)).toHaveLength(1);
    expect(refundEvents(order)[0]?.data).toMatchObject({
      paymentId: id,
      orderId: order.orderId,
      userId: order.buyer.id,
      method: 'telegram',
      reason: 'order_expired',
      telegramPaymentChargeId: charge.telegramPaymentChargeId,
      providerPaymentChargeId: charge.providerPaymentChargeId,
    });
    expect(await rig.paymentsFor(order.orderId)).toMatchObject([
      { status: 'refunded', refundedAt: expect.any(Date) },
    ]);
    // (Only a Stars refund of another test's payment calls Telegram.)
    expect(telegram.calls.filter((call) => call.method !== 'refundStarPayment')).toEqual([]);
    expect(telegram.refundsOf(charge.telegramPaymentChargeId)).toEqual([]);
  });

  it('marks it refunded once when two admins mark it at the same moment', async () => {
    const { order, id } = await owedBack();

    const answers = await Promise.all([markRefunded(id), markRefunded(id), markRefunded(id)]);

    expect(answers.map((res) => res.status)).toEqual([200, 200, 200]);
    await afterSentinel(rig.sentinel());
    expect(refundEvents(order)).toHaveLength(1);
  });

  it('answers 409 invalid_transition for a payment not owed back, or a Stars one, changing nothing', async () => {
    const kept = await invoicedOrder(rig);
    const keptId = (
      (await (await recordPayment(payment.app, kept.buyer, successfulPayment(kept))).json()) as {
        id: string;
      }
    ).id;
    const stars = await invoicedOrder(rig, { currency: 'XTR', totalCents: 5 });
    const starsCharge = successfulPayment(stars);
    const starsId = (
      (await (await recordPayment(payment.app, stars.buyer, starsCharge)).json()) as { id: string }
    ).id;

    const keptAnswer = await markRefunded(keptId);

    expect(keptAnswer.status).toBe(409);
    expect(await keptAnswer.json()).toMatchObject({
      error: { code: 'invalid_transition', details: { status: 'succeeded', method: 'telegram' } },
    });
    expect((await markRefunded(starsId)).status).toBe(409);
    expect(await rig.paymentsFor(kept.orderId)).toMatchObject([{ status: 'succeeded' }]);
  });

  it('answers 404 for no such payment, 400 for an id that is no payment id, 403 to a buyer', async () => {
    const { id } = await owedBack();
    const buyer = await rig.user();

    expect((await markRefunded(crypto.randomUUID())).status).toBe(404);
    expect((await markRefunded('42')).status).toBe(400);
    expect((await markRefunded(id, buyer)).status).toBe(403);
    expect((await markRefunded(id)).status).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoicePayloadOf, type EventEnvelope } from '@shop/shared';
import { createRig, eventually, handledBy, stockReserved, type Rig } from './harness.ts';
import {
  cancellationOf,
  fakeTelegram,
  INVOICE_ENV,
  invoicedOrder,
  preCheckout,
  recordPayment,
  successfulPayment,
  type InvoicedOrder,
} from './telegram.ts';

let rig: Rig;
let payment: Awaited<ReturnType<Rig['start']>>;

beforeAll(async () => {
  rig = await createRig('precheckout');
  payment = await rig.start({ env: INVOICE_ENV, telegramFetch: fakeTelegram().fetch });
});
afterAll(async () => {
  await rig.close();
});

const handled = (event: EventEnvelope) => handledBy(rig, payment, event);

/** The query Telegram sends for the order's invoice, as the bot forwards it. */
const queryOf = (order: InvoicedOrder) => ({
  invoicePayload: order.payload,
  currency: order.currency,
  totalAmount: order.totalCents,
});

/** Pre-checkout's answer for the order's buyer (or `as`), and that nothing was recorded by it. */
async function answer(order: InvoicedOrder, query: object, as = order.buyer) {
  const paymentsBefore = (await rig.paymentsFor(order.orderId)).length;
  const eventsBefore = rig.eventsFor(order.orderId).length;
  const res = await preCheckout(payment.app, as, query);
  expect(res.status).toBe(200);
  const body: unknown = await res.json();
  expect((await rig.paymentsFor(order.orderId)).length).toBe(paymentsBefore);
  expect(rig.eventsFor(order.orderId).length).toBe(eventsBefore);
  return body;
}

describe('POST /payments/telegram/pre-checkout', () => {
  it("lets the buyer pay their order's invoice", async () => {
    const order = await invoicedOrder(rig);

    expect(await answer(order, queryOf(order))).toEqual({ ok: true });
  });

  it("refuses someone else's order as not_found, as an order that does not exist", async () => {
    const order = await invoicedOrder(rig);
    const stranger = await rig.user();
    const unknown = invoicePayloadOf(stockReserved().data.orderId);

    expect(await answer(order, queryOf(order), stranger)).toEqual({ ok: false, reason: 'not_found' });
    expect(await answer(order, { ...queryOf(order), invoicePayload: unknown })).toEqual({
      ok: false,
      reason: 'not_found',
    });
  });

  it.each(['order:abc', 'order:0', 'order:-1', `order:${'9'.repeat(16)}`, 'some other bot', ' order:1'])(
    'refuses the forged payload %j as not_found',
    async (invoicePayload) => {
      const order = await invoicedOrder(rig);

      expect(await answer(order, { ...queryOf(order), invoicePayload })).toEqual({
        ok: false,
        reason: 'not_found',
      });
    },
  );

  it('refuses a cancelled order as cancelled, and an expired one as expired', async () => {
    const [byBuyer, byMerchant, expired] = [
      await invoicedOrder(rig),
      await invoicedOrder(rig),
      await invoicedOrder(rig),
    ];
    const cancellations = [
      cancellationOf(byBuyer, 'buyer'),
      cancellationOf(byMerchant, 'merchant'),
      cancellationOf(expired, 'expired'),
    ];
    await rig.publish(...cancellations);
    for (const cancellation of cancellations) await handled(cancellation);

    expect(await answer(byBuyer, queryOf(byBuyer))).toEqual({ ok: false, reason: 'cancelled' });
    expect(await answer(byMerchant, queryOf(byMerchant))).toEqual({ ok: false, reason: 'cancelled' });
    expect(await answer(expired, queryOf(expired))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses an order paid already as already_paid', async () => {
    const order = await invoicedOrder(rig);
    expect((await recordPayment(payment.app, order.buyer, successfulPayment(order))).status).toBe(201);
    // The relay publishes payment.succeeded on its own time: let it arrive before counting events.
    await eventually(() =>
      expect(rig.eventsFor(order.orderId).map((event) => event.type)).toContain('payment.succeeded'),
    );

    expect(await answer(order, queryOf(order))).toEqual({ ok: false, reason: 'already_paid' });
  });

  it('refuses another amount as price_changed', async () => {
    const order = await invoicedOrder(rig, { totalCents: 1_000 });

    for (const totalAmount of [999, 1_001, 0, 100_000])
      expect(await answer(order, { ...queryOf(order), totalAmount })).toEqual({
        ok: false,
        reason: 'price_changed',
      });
  });

  it("refuses a currency that is not the invoice's as unknown_currency", async () => {
    const order = await invoicedOrder(rig);
    const stars = await invoicedOrder(rig, { currency: 'XTR', totalCents: 25 });

    for (const currency of ['USD', 'XTR', 'eur', 'EURO'])
      expect(await answer(order, { ...queryOf(order), currency })).toEqual({
        ok: false,
        reason: 'unknown_currency',
      });
    expect(await answer(stars, { ...queryOf(stars), currency: 'EUR' })).toEqual({
      ok: false,
      reason: 'unknown_currency',
    });
    expect(await answer(stars, queryOf(stars))).toEqual({ ok: true });
  });

  it('answers 401 without a token and 400 for a malformed query', async () => {
    const order = await invoicedOrder(rig);

    const anonymous = await payment.app.request('/payments/telegram/pre-checkout', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(queryOf(order)),
    });
    expect(anonymous.status).toBe(401);
    for (const query of [
      {},
      { ...queryOf(order), totalAmount: 1.5 },
      { ...queryOf(order), invoicePayload: '' },
    ]) {
      const res = await preCheckout(payment.app, order.buyer, query);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });
});

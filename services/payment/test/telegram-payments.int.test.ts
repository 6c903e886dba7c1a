import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventEnvelope } from '@shop/shared';
import { requestJson } from '@shop/testkit';
import { afterSentinel, createRig, stockReserved, type Rig, handledBy } from './harness.ts';
import {
  cancellationOf,
  fakeTelegram,
  INVOICE_ENV,
  invoicedOrder,
  recordPayment,
  successfulPayment,
  type InvoicedOrder,
} from './telegram.ts';

let rig: Rig;
let payment: Awaited<ReturnType<Rig['start']>>;

beforeAll(async () => {
  rig = await createRig('tgpay');
  payment = await rig.start({ env: INVOICE_ENV, telegramFetch: fakeTelegram().fetch });
});
afterAll(async () => {
  await rig.close();
});

const handled = (event: EventEnvelope) => handledBy(rig, payment, event);

/** The order's events after its `payment.requested`, once the outbox is through a sentinel behind them. */
async function eventsAfterInvoice(order: InvoicedOrder) {
  await afterSentinel(rig.sentinel());
  return rig.eventsFor(order.orderId).filter((event) => event.type !== 'payment.requested');
}

const record = (order: InvoicedOrder, body: object, as = order.buyer) => recordPayment(payment.app, as, body);

describe('POST /payments/telegram', () => {
  it('keeps the payment of an invoice and announces payment.succeeded with the charge ids, in the order flow', async () => {
    const order = await invoicedOrder(rig, { totalCents: 2_300 });
    const paid = successfulPayment(order);

    const res = await record(order, paid);

    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string };
    expect(body).toStrictEqual({
      id: expect.any(String),
      orderId: order.orderId,
      status: 'succeeded',
      amountCents: 2_300,
      currency: 'EUR',
      method: 'telegram',
      refundReason: null,
    });
    const [event, ...more] = await eventsAfterInvoice(order);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      type: 'payment.succeeded',
      correlationId: order.reserved.correlationId,
      data: {
        paymentId: body.id,
        orderId: order.orderId,
        userId: order.buyer.id,
        amountCents: 2_300,
        currency: 'EUR',
        items: order.reserved.data.items,
        method: 'telegram',
        telegramPaymentChargeId: paid.telegramPaymentChargeId,
        providerPaymentChargeId: paid.providerPaymentChargeId,
      },
    });
    expect(await rig.paymentsFor(order.orderId)).toMatchObject([
      {
        status: 'succeeded',
        telegramPaymentChargeId: paid.telegramPaymentChargeId,
        providerPaymentChargeId: paid.providerPaymentChargeId,
        telegramUserId: paid.telegramUserId,
      },
    ]);
    const listed = await payment.app.request(`/payments?orderId=${order.orderId}`, {
      headers: order.buyer.headers,
    });
    expect(await listed.json()).toEqual([
      {
        id: body.id,
        orderId: order.orderId,
        status: 'succeeded',
        amountCents: 2_300,
        currency: 'EUR',
        method: 'telegram',
      },
    ]);
  });

  it('keeps a Stars payment the same way (method stars, no provider charge id)', async () => {
    const order = await invoicedOrder(rig, { currency: 'XTR', totalCents: 75 });

    const res = await record(order, successfulPayment(order));

    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: 'succeeded', method: 'stars', amountCents: 75 });
    expect((await eventsAfterInvoice(order))[0]).toMatchObject({
      type: 'payment.succeeded',
      data: { method: 'stars', providerPaymentChargeId: '' },
    });
  });

  it('records a charge posted twice once: 201, then 200 with the same payment, one event', async () => {
    const order = await invoicedOrder(rig);
    const paid = successfulPayment(order);

    const first = await record(order, paid);
    const second = await record(order, paid);

    expect([first.status, second.status]).toEqual([201, 200]);
    expect(await second.json()).toEqual(await first.json());
    expect(await rig.paymentsFor(order.orderId)).toHaveLength(1);
    expect((await eventsAfterInvoice(order)).map((event) => event.type)).toEqual(['payment.succeeded']);
  });

  it('records a charge posted 4 times at once once: one 201, three 200, one payment, one event', async () => {
    const order = await invoicedOrder(rig);
    const paid = successfulPayment(order);

    const answers = await Promise.all(Array.from({ length: 4 }, () => record(order, paid)));

    expect(answers.map((res) => res.status).sort()).toEqual([200, 200, 200, 201]);
    const bodies = await Promise.all(answers.map((res) => res.json()));
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(await rig.paymentsFor(order.orderId)).toHaveLength(1);
    expect((await eventsAfterInvoice(order)).map((event) => event.type)).toEqual(['payment.succeeded']);
  });

  it('records a charge id once even when posted again under another payload', async () => {
    const [order, other] = [await invoicedOrder(rig), await invoicedOrder(rig)];
    const paid = successfulPayment(order);

    const answers = await Promise.all([
      record(order, paid),
      record(order, { ...paid, invoicePayload: other.payload }),
    ]);

    expect(answers.map((res) => res.status).sort()).toEqual([200, 201]);
    const recorded = [...(await rig.paymentsFor(order.orderId)), ...(await rig.paymentsFor(other.orderId))];
    expect(recorded).toHaveLength(1);
  });

  describe('money an order cannot take is recorded to be given back', () => {
    it.each([
      ['buyer', 'order_cancelled'],
      ['merchant', 'order_cancelled'],
      ['expired', 'order_expired'],
    ] as const)(
      'after a cancellation (%s): refund_pending, reason %s',
      async (cancelReason, refundReason) => {
        const order = await invoicedOrder(rig);
        const cancellation = cancellationOf(order, cancelReason);
        await rig.publish(cancellation);
        await handled(cancellation);
        const paid = successfulPayment(order);

        const res = await record(order, paid);

        expect(res.status).toBe(201);
        expect(await res.json()).toMatchObject({ status: 'refund_pending', refundReason });
        const events = await eventsAfterInvoice(order);
        expect(events).toMatchObject([
          {
            type: 'payment.refund_pending',
            correlationId: order.reserved.correlationId,
            data: {
              orderId: order.orderId,
              userId: order.buyer.id,
              amountCents: order.totalCents,
              method: 'telegram',
              reason: refundReason,
              telegramPaymentChargeId: paid.telegramPaymentChargeId,
              providerPaymentChargeId: paid.providerPaymentChargeId,
            },
          },
        ]);
        // The same cancellation again refunds nothing more.
        await rig.publish(cancellationOf(order, cancelReason));
        expect((await eventsAfterInvoice(order)).map((event) => event.type)).toEqual([
          'payment.refund_pending',
        ]);
      },
    );

    it('a second charge for an order paid already: refund_pending, already_paid; the first is kept', async () => {
      const order = await invoicedOrder(rig);
      await record(order, successfulPayment(order));

      const res = await record(order, successfulPayment(order));

      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ status: 'refund_pending', refundReason: 'already_paid' });
      expect((await rig.paymentsFor(order.orderId)).map((p) => p.status).sort()).toEqual([
        'refund_pending',
        'succeeded',
      ]);
      expect((await eventsAfterInvoice(order)).map((event) => event.type)).toEqual([
        'payment.succeeded',
        'payment.refund_pending',
      ]);
    });

    it('two different charges for one order at once: one kept, the other owed back', async () => {
      const order = await invoicedOrder(rig);

      const answers = await Promise.all([
        record(order, successfulPayment(order)),
        record(order, successfulPayment(order)),
      ]);

      expect(answers.map((res) => res.status)).toEqual([201, 201]);
      expect((await rig.paymentsFor(order.orderId)).map((p) => p.status).sort()).toEqual([
        'refund_pending',
        'succeeded',
      ]);
    });

    it("someone else paying the buyer's invoice: refund_pending, not_payable, recorded as the payer's", async () => {
      const order = await invoicedOrder(rig);
      const payer = await rig.user();

      const res = await record(order, successfulPayment(order), payer);

      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ status: 'refund_pending', refundReason: 'not_payable' });
      expect((await eventsAfterInvoice(order))[0]).toMatchObject({
        type: 'payment.refund_pending',
        data: { userId: payer.id, reason: 'not_payable' },
      });
      // The order may still be paid by its buyer.
      expect((await record(order, successfulPayment(order))).status).toBe(201);
      expect((await rig.paymentsFor(order.orderId)).map((p) => p.status).sort()).toEqual([
        'refund_pending',
        'succeeded',
      ]);
    });

    it('another amount, another currency or an order with no invoice: refund_pending, not_payable', async () => {
      const order = await invoicedOrder(rig, { totalCents: 500 });
      const unknown = stockReserved().data.orderId;

      const answers = [
        await record(order, successfulPayment(order, { totalAmount: 499 })),
        await record(order, successfulPayment(order, { currency: 'USD' })),
        await record(order, successfulPayment(order, { invoicePayload: `order:${unknown}` })),
      ];

      expect(answers.map((res) => res.status)).toEqual([201, 201, 201]);
      for (const res of answers)
        expect(await res.json()).toMatchObject({ status: 'refund_pending', refundReason: 'not_payable' });
      expect(await rig.paymentsFor(unknown)).toMatchObject([
        { status: 'refund_pending', method: 'telegram' },
      ]);
      expect((await record(order, successfulPayment(order))).status).toBe(201);
    });
  });

  it('owes back a kept payment when the order is cancelled after it was recorded, once', async () => {
    const order = await invoicedOrder(rig);
    const paid = successfulPayment(order);
    await record(order, paid);
    const cancellation = cancellationOf(order, 'expired');
    const republished = cancellationOf(order, 'expired');

    await Promise.all([rig.publish(cancellation), rig.publish(cancellation), rig.publish(republished)]);

    await handled(cancellation);
    await handled(republished);
    expect((await eventsAfterInvoice(order)).map((event) => event.type)).toEqual([
      'payment.succeeded',
      'payment.refund_pending',
    ]);
    expect([cancellation.correlationId, republished.correlationId]).toContain(
      (await eventsAfterInvoice(order))[1]?.correlationId,
    );
    expect((await eventsAfterInvoice(order))[1]).toMatchObject({
      data: {
        reason: 'order_expired',
        method: 'telegram',
        telegramPaymentChargeId: paid.telegramPaymentChargeId,
      },
    });
    expect(await rig.paymentsFor(order.orderId)).toMatchObject([
      { status: 'refund_pending', refundReason: 'order_expired' },
    ]);
  });

  it('refuses a request without the bot service token with 403, recording nothing', async () => {
    const order = await invoicedOrder(rig);
    const paid = successfulPayment(order);

    const missing = await requestJson(payment.app, 'POST', '/payments/telegram', paid, order.buyer.headers);
    const wrong = await requestJson(payment.app, 'POST', '/payments/telegram', paid, {
      ...order.buyer.headers,
      'X-Service-Token': 'a-guess-of-the-service-token',
    });

    expect([missing.status, wrong.status]).toEqual([403, 403]);
    expect(await missing.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect(await rig.paymentsFor(order.orderId)).toEqual([]);
  });

  it('answers 401 without a token and 400 for a malformed body, recording nothing', async () => {
    const order = await invoicedOrder(rig);
    const paid = successfulPayment(order);

    const anonymous = await requestJson(payment.app, 'POST', '/payments/telegram', paid);
    expect(anonymous.status).toBe(401);
    const malformed = [
      { ...paid, invoicePayload: '' },
      { ...paid, telegramPaymentChargeId: '' },
      { ...paid, telegramPaymentChargeId: 'tg-\u0000' },
      { ...paid, providerPaymentChargeId: '\u0000' },
      { ...paid, providerPaymentChargeId: '\ud800' },
      { ...paid, totalAmount: -1 },
      { ...paid, totalAmount: 2 ** 31 },
      { ...paid, currency: 'eur' },
      { ...paid, telegramUserId: 0 },
      { invoicePayload: paid.invoicePayload },
    ];
    for (const body of malformed) {
      const res = await record(order, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    expect(await rig.paymentsFor(order.orderId)).toEqual([]);
  });
});

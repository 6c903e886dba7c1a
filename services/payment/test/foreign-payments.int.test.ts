import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Payment } from '../src/db/entities.ts';
import { afterSentinel, createRig, eventually, type Rig } from './harness.ts';
import { fakeTelegram, INVOICE_ENV, recordPayment } from './telegram.ts';

/**
 * Money Telegram took for an invoice payload that names no order of the shop (an old bot's
 * invoice, a forged one): recorded all the same, with no order, and given back.
 */
let rig: Rig;
let payment: Awaited<ReturnType<Rig['start']>>;
let admin: Awaited<ReturnType<Rig['user']>>;
const telegram = fakeTelegram();

beforeAll(async () => {
  rig = await createRig('foreign');
  payment = await rig.start({ env: INVOICE_ENV, telegramFetch: telegram.fetch });
  admin = await rig.user('admin');
});
afterAll(async () => {
  await rig.close();
});

/** A `successful_payment` for a payload that is not `order:<id>`, a fresh charge. */
function foreignPayment(currency: string, totalAmount: number, invoicePayload = 'legacy:42') {
  return {
    invoicePayload,
    currency,
    totalAmount,
    telegramPaymentChargeId: `tg-${crypto.randomUUID()}`,
    providerPaymentChargeId: currency === 'XTR' ? '' : `pr-${crypto.randomUUID()}`,
    telegramUserId: Math.floor(Math.random() * 2 ** 40) + 1,
  };
}

const rowOf = (telegramPaymentChargeId: string) =>
  payment.orm.em.fork().find(Payment, { telegramPaymentChargeId });

describe('POST /payments/telegram for a payload that names no order of ours', () => {
  it('records Stars as refund_pending, not_payable, with no order, and the Stars worker refunds them once', async () => {
    const payer = await rig.user();
    const charge = foreignPayment('XTR', 5);

    const res = await recordPayment(payment.app, payer, charge);

    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string };
    expect(body).toStrictEqual({
      id: expect.any(String),
      orderId: null,
      status: 'refund_pending',
      amountCents: 5,
      currency: 'XTR',
      method: 'stars',
      refundReason: 'not_payable',
    });
    await eventually(async () =>
      expect((await rowOf(charge.telegramPaymentChargeId))[0]?.status).toBe('refunded'),
    );
    // Another foreign Stars payment refunded behind it: a second refund of the first would be made by then.
    const later = foreignPayment('XTR', 1, 'anything');
    expect((await recordPayment(payment.app, payer, later)).status).toBe(201);
    await eventually(async () =>
      expect((await rowOf(later.telegramPaymentChargeId))[0]?.status).toBe('refunded'),
    );
    expect(telegram.refundsOf(charge.telegramPaymentChargeId)).toEqual([
      {
        method: 'refundStarPayment',
        body: { user_id: charge.telegramUserId, telegram_payment_charge_id: charge.telegramPaymentChargeId },
      },
    ]);
    expect(await rowOf(charge.telegramPaymentChargeId)).toMatchObject([
      { orderId: null, userId: payer.id, refundReason: 'not_payable', telegramUserId: charge.telegramUserId },
    ]);
    await afterSentinel(rig.sentinel());
    const events = rig.eventsOfPayment(body.id);
    expect(events.map((event) => event.type)).toEqual(['payment.refund_pending', 'payment.refunded']);
    expect(events[0]?.data).toStrictEqual({
      paymentId: body.id,
      userId: payer.id,
      amountCents: 5,
      currency: 'XTR',
      method: 'stars',
      reason: 'not_payable',
      telegramPaymentChargeId: charge.telegramPaymentChargeId,
      providerPaymentChargeId: '',
    });
  });

  it('records a card payment for the merchant to refund: on GET /admin/payments with orderId null', async () => {
    const payer = await rig.user();
    const charge = foreignPayment('EUR', 1_250, 'order:abc');

    const res = await recordPayment(payment.app, payer, charge);

    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const listed = await payment.app.request('/admin/payments?status=refund_pending&limit=100', {
      headers: admin.headers,
    });
    expect(listed.status).toBe(200);
    const page = (await listed.json()) as { items: { id: string }[] };
    expect(page.items.find((item) => item.id === id)).toStrictEqual({
      id,
      orderId: null,
      userId: payer.id,
      status: 'refund_pending',
      amountCents: 1_250,
      currency: 'EUR',
      method: 'telegram',
      refundReason: 'not_payable',
      telegramPaymentChargeId: charge.telegramPaymentChargeId,
      providerPaymentChargeId: charge.providerPaymentChargeId,
      createdAt: expect.any(String),
    });
    // Not a Stars payment: nothing is asked of Telegram; the merchant refunds it and marks it.
    expect(telegram.refundsOf(charge.telegramPaymentChargeId)).toEqual([]);
    const marked = await payment.app.request(`/admin/payments/${id}/refunded`, {
      method: 'POST',
      headers: admin.headers,
    });
    expect(marked.status).toBe(200);
    expect(await rowOf(charge.telegramPaymentChargeId)).toMatchObject([{ status: 'refunded' }]);
  });

  it('records a charge posted twice once: 201, then 200 with the same payment, one event', async () => {
    const payer = await rig.user();
    const charge = foreignPayment('EUR', 300);

    const first = await recordPayment(payment.app, payer, charge);
    const second = await recordPayment(payment.app, payer, charge);
    const concurrent = await Promise.all([1, 2, 3].map(() => recordPayment(payment.app, payer, charge)));

    expect([first.status, second.status, ...concurrent.map((res) => res.status)]).toEqual([
      201, 200, 200, 200, 200,
    ]);
    const body = (await first.json()) as { id: string };
    expect(await second.json()).toEqual(body);
    expect(await rowOf(charge.telegramPaymentChargeId)).toHaveLength(1);
    await afterSentinel(rig.sentinel());
    expect(rig.eventsOfPayment(body.id).map((event) => event.type)).toEqual(['payment.refund_pending']);
  });
});

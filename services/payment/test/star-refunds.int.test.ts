import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventEnvelope } from '@shop/shared';
import { createRig, eventually, recordingLogger, type Rig, handledBy } from './harness.ts';
import {
  cancellationOf,
  fakeTelegram,
  heldAnswer,
  INVOICE_ENV,
  invoicedOrder,
  recordPayment,
  successfulPayment,
  telegramError,
  type InvoicedOrder,
} from './telegram.ts';

let rig: Rig;
let first: Awaited<ReturnType<Rig['start']>>;
// Two replicas, each with its own refund worker, on one database; both reach this one Telegram.
const telegram = fakeTelegram();
const replicas = [recordingLogger(), recordingLogger()];

beforeAll(async () => {
  rig = await createRig('stars');
  first = await rig.start({ env: INVOICE_ENV, telegramFetch: telegram.fetch, logger: replicas[0]!.logger });
  await rig.start({ env: INVOICE_ENV, telegramFetch: telegram.fetch, logger: replicas[1]!.logger });
});
afterAll(async () => {
  await rig.close();
});

const handled = (event: EventEnvelope) => handledBy(rig, first, event);

const starsOrder = () => invoicedOrder(rig, { currency: 'XTR', totalCents: 40 });
const typesAfterInvoice = (order: InvoicedOrder) =>
  rig
    .eventsFor(order.orderId)
    .map((event) => event.type)
    .filter((type) => type !== 'payment.requested');
const statusOf = async (order: InvoicedOrder) => (await rig.paymentsFor(order.orderId)).map((p) => p.status);

/** The order expires, then its Stars payment arrives: money owed back. */
async function paidAfterExpiry(order: InvoicedOrder, charge = successfulPayment(order)) {
  const cancellation = cancellationOf(order, 'expired');
  await rig.publish(cancellation);
  await handled(cancellation);
  expect((await recordPayment(first.app, order.buyer, charge)).status).toBe(201);
  return charge;
}

/** Which replicas logged a Stars refund of `paymentIds`. */
const refundedBy = (paymentIds: string[]) =>
  replicas.map(({ lines }) =>
    lines.some(
      (line) => line.msg === 'Stars payment refunded' && paymentIds.includes(line.paymentId as string),
    ),
  );

/**
 * Waits until the order's payment is refunded, then until a Stars refund of another order went
 * through behind it: a second refund of this one would have been made by then.
 */
async function refunded(order: InvoicedOrder) {
  await eventually(async () => expect(await statusOf(order)).toContain('refunded'));
  const sentinel = await starsOrder();
  await paidAfterExpiry(sentinel);
  await eventually(async () => expect(await statusOf(sentinel)).toEqual(['refunded']));
}

describe('Stars payments owed back', () => {
  it('are refunded with refundStarPayment once when paid after the order expired: refund_pending, then refunded', async () => {
    const order = await starsOrder();

    const charge = await paidAfterExpiry(order);

    await refunded(order);
    expect(telegram.refundsOf(charge.telegramPaymentChargeId)).toEqual([
      {
        method: 'refundStarPayment',
        body: { user_id: charge.telegramUserId, telegram_payment_charge_id: charge.telegramPaymentChargeId },
      },
    ]);
    expect(typesAfterInvoice(order)).toEqual(['payment.refund_pending', 'payment.refunded']);
    expect(rig.eventsFor(order.orderId).at(-1)).toMatchObject({
      type: 'payment.refunded',
      data: {
        orderId: order.orderId,
        userId: order.buyer.id,
        amountCents: 40,
        currency: 'XTR',
        method: 'stars',
        reason: 'order_expired',
        telegramPaymentChargeId: charge.telegramPaymentChargeId,
      },
    });
    const [payment] = await rig.paymentsFor(order.orderId);
    expect(payment?.refundedAt).toBeInstanceOf(Date);
  });

  it('are refunded once when the merchant cancels an order paid in Stars, however often the cancellation comes', async () => {
    const order = await starsOrder();
    const charge = successfulPayment(order);
    expect((await recordPayment(first.app, order.buyer, charge)).status).toBe(201);
    const cancellation = cancellationOf(order, 'merchant');

    await Promise.all([
      rig.publish(cancellation),
      rig.publish(cancellation),
      rig.publish(cancellationOf(order, 'merchant')),
    ]);

    await refunded(order);
    expect(telegram.refundsOf(charge.telegramPaymentChargeId)).toHaveLength(1);
    expect(typesAfterInvoice(order)).toEqual([
      'payment.succeeded',
      'payment.refund_pending',
      'payment.refunded',
    ]);
    expect(rig.eventsFor(order.orderId).at(-1)?.data).toMatchObject({ reason: 'order_cancelled' });
  });

  it('are refunded by one of two replicas: one refundStarPayment call, the other replica passing it over', async () => {
    const order = await starsOrder();
    const charge = successfulPayment(order);
    const held = heldAnswer();
    telegram.answer(charge.telegramPaymentChargeId, held.answer);
    try {
      await paidAfterExpiry(order, charge);
      await eventually(() => expect(telegram.refundsOf(charge.telegramPaymentChargeId)).toHaveLength(1));
      // The replica making the call waits for it; the other one refunds a later payment meanwhile,
      // passing over this one (it is due first).
      const other = await starsOrder();
      await paidAfterExpiry(other);
      await eventually(async () => expect(await statusOf(other)).toEqual(['refunded']));
      expect(await statusOf(order)).toEqual(['refund_pending']);
      expect(telegram.refundsOf(charge.telegramPaymentChargeId)).toHaveLength(1);
    } finally {
      held.release();
    }

    await refunded(order);
    expect(telegram.refundsOf(charge.telegramPaymentChargeId)).toHaveLength(1);
    expect(typesAfterInvoice(order)).toEqual(['payment.refund_pending', 'payment.refunded']);
    expect(refundedBy([(await rig.paymentsFor(order.orderId))[0]!.id]).filter(Boolean)).toHaveLength(1);
  });

  it('are refunded once after Telegram failed, did not answer and throttled first', async () => {
    const order = await starsOrder();
    const charge = successfulPayment(order);
    telegram.answer(
      charge.telegramPaymentChargeId,
      telegramError(500, 'Internal Server Error'),
      () => Promise.reject(new TypeError('fetch failed')),
      telegramError(429, 'Too Many Requests: retry after 1', 1),
    );

    await paidAfterExpiry(order, charge);

    await refunded(order);
    expect(telegram.refundsOf(charge.telegramPaymentChargeId)).toHaveLength(4);
    expect(typesAfterInvoice(order)).toEqual(['payment.refund_pending', 'payment.refunded']);
    expect((await rig.paymentsFor(order.orderId))[0]).toMatchObject({ refundAttempts: 3, refundError: null });
  });

  it('are refunded with refundStarPayment when Stars pay an invoice in another currency', async () => {
    const order = await invoicedOrder(rig, { currency: 'EUR', totalCents: 40 });
    const charge = successfulPayment(order, { currency: 'XTR', providerPaymentChargeId: '' });

    const res = await recordPayment(first.app, order.buyer, charge);

    expect(await res.json()).toMatchObject({
      status: 'refund_pending',
      method: 'stars',
      refundReason: 'not_payable',
    });
    await refunded(order);
    expect(telegram.refundsOf(charge.telegramPaymentChargeId)).toHaveLength(1);
  });

  it('count as refunded when Telegram says the charge was refunded already', async () => {
    const order = await starsOrder();
    const charge = successfulPayment(order);
    telegram.answer(
      charge.telegramPaymentChargeId,
      telegramError(400, 'Bad Request: CHARGE_ALREADY_REFUNDED'),
    );

    await paidAfterExpiry(order, charge);

    await refunded(order);
    expect(telegram.refundsOf(charge.telegramPaymentChargeId)).toHaveLength(1);
    expect(typesAfterInvoice(order)).toEqual(['payment.refund_pending', 'payment.refunded']);
  });

  it('stay owed back while Telegram refuses them, with what it said, and are tried again until refunded', async () => {
    const order = await starsOrder();
    const charge = successfulPayment(order);
    const held = heldAnswer();
    const notFound = telegramError(400, 'Bad Request: CHARGE_NOT_FOUND');
    telegram.answer(charge.telegramPaymentChargeId, notFound, notFound, held.answer);

    try {
      await paidAfterExpiry(order, charge);

      await eventually(() => expect(telegram.refundsOf(charge.telegramPaymentChargeId)).toHaveLength(3));
      expect((await rig.paymentsFor(order.orderId))[0]).toMatchObject({
        status: 'refund_pending',
        refundAttempts: 2,
        refundError: expect.stringContaining('CHARGE_NOT_FOUND'),
      });
      expect(typesAfterInvoice(order)).toEqual(['payment.refund_pending']);
    } finally {
      held.release();
    }
    await refunded(order);
    expect(telegram.refundsOf(charge.telegramPaymentChargeId)).toHaveLength(3);
  });
});

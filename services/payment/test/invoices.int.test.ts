import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, declineReasons, invoicePayloadOf, type EventEnvelope } from '@shop/shared';
import { Invoice } from '../src/db/entities.ts';
import { createRig, eventually, stockReserved, type Rig, handledBy } from './harness.ts';
import { fakeTelegram, INVOICE_ENV } from './telegram.ts';

let rig: Rig;
let payment: Awaited<ReturnType<Rig['start']>>;

beforeAll(async () => {
  rig = await createRig('invoices');
  payment = await rig.start({ env: INVOICE_ENV, telegramFetch: fakeTelegram().fetch });
});
afterAll(async () => {
  await rig.close();
});

/** Waits until the consumer has committed the message (its inbox row exists). */
const handled = (event: EventEnvelope) => handledBy(rig, payment, event);

const typesFor = (orderId: number) => rig.eventsFor(orderId).map((event) => event.type);
const invoiceOf = (orderId: number) => payment.orm.em.fork().findOne(Invoice, { orderId });

describe('a reserved order, with a payment provider connected', () => {
  it('waits for a provider invoice: recorded, and payment.requested published in the order flow', async () => {
    const order = stockReserved({ totalCents: 2_450 });

    await rig.publish(order);

    await eventually(() => expect(typesFor(order.data.orderId)).toEqual(['payment.requested']));
    expect(rig.eventsFor(order.data.orderId)[0]).toStrictEqual({
      id: expect.any(String),
      type: 'payment.requested',
      occurredAt: expect.any(String),
      correlationId: order.correlationId,
      data: { ...order.data, method: 'telegram', invoicePayload: invoicePayloadOf(order.data.orderId) },
    });
    expect(await invoiceOf(order.data.orderId)).toMatchObject({
      userId: order.data.userId,
      method: 'telegram',
      amountCents: 2_450,
      currency: 'EUR',
      items: order.data.items,
    });
    // Nothing is charged until the buyer pays the invoice.
    expect(await rig.paymentsFor(order.data.orderId)).toEqual([]);
  });

  it('waits for a Stars invoice when the order is in XTR', async () => {
    const order = stockReserved({ totalCents: 50, currency: 'XTR' });

    await rig.publish(order);

    await eventually(() => expect(typesFor(order.data.orderId)).toEqual(['payment.requested']));
    expect(rig.eventsFor(order.data.orderId)[0]?.data).toMatchObject({ method: 'stars', totalCents: 50 });
    expect(await invoiceOf(order.data.orderId)).toMatchObject({ method: 'stars', currency: 'XTR' });
  });

  it('requests one invoice however often the reservation arrives', async () => {
    const order = stockReserved();
    const again = stockReserved({ orderId: order.data.orderId, userId: order.data.userId });

    await Promise.all([rig.publish(order), rig.publish(order), rig.publish(again)]);

    await handled(order);
    await handled(again);
    expect(typesFor(order.data.orderId)).toEqual(['payment.requested']);
  });

  it('requests no invoice for an order whose cancellation was recorded first', async () => {
    const order = stockReserved();
    const cancellation = createEvent('order.cancelled', {
      orderId: order.data.orderId,
      userId: order.data.userId,
      reason: 'expired',
    });
    await rig.publish(cancellation);
    await handled(cancellation);

    await rig.publish(order);

    await handled(order);
    expect(typesFor(order.data.orderId)).toEqual([]);
    expect(await invoiceOf(order.data.orderId)).toBeNull();
  });
});

describe('methods', () => {
  let production: Rig;
  let bare: Rig;
  beforeAll(async () => {
    production = await createRig('production');
    await production.start({
      env: { NODE_ENV: 'production', TELEGRAM_BOT_TOKEN: '123456:payment-tests' },
      telegramFetch: fakeTelegram().fetch,
    });
    bare = await createRig('bare');
    await bare.start();
  });
  afterAll(async () => {
    await production.close();
    await bare.close();
  });

  it('charge an order in EUR through the simulated provider when no provider is connected', async () => {
    const order = stockReserved();

    await bare.publish(order);

    await eventually(() =>
      expect(bare.eventsFor(order.data.orderId).map((event) => event.type)).toEqual(['payment.succeeded']),
    );
    expect(await bare.paymentsFor(order.data.orderId)).toMatchObject([{ method: 'simulated' }]);
  });

  it('in production without a provider: fail an order in EUR (no_payment_method), nothing charged', async () => {
    const order = stockReserved();

    await production.publish(order);

    await eventually(() =>
      expect(production.eventsFor(order.data.orderId).map((event) => event.type)).toEqual(['payment.failed']),
    );
    expect(production.eventsFor(order.data.orderId)[0]?.data).toMatchObject({
      reason: declineReasons.noPaymentMethod,
    });
    expect(await production.paymentsFor(order.data.orderId)).toMatchObject([
      { status: 'failed', reason: declineReasons.noPaymentMethod },
    ]);
  });

  it('in production without a provider: still take an order in XTR by a Stars invoice', async () => {
    const order = stockReserved({ currency: 'XTR', totalCents: 10 });

    await production.publish(order);

    await eventually(() =>
      expect(production.eventsFor(order.data.orderId).map((event) => event.type)).toEqual([
        'payment.requested',
      ]),
    );
    expect(production.eventsFor(order.data.orderId)[0]?.data).toMatchObject({ method: 'stars' });
  });
});

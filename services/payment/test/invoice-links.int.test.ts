/**
 * The Mini App's invoice links (`POST /payments/telegram/invoice-link`) against the sandbox, which
 * checks `createInvoiceLink` as Telegram does, and how an order's channel picks its method.
 */
import { renderInvoice, invoicePayloadOf } from '@shop/shared';
import { requestJson, testLogger } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/index.ts';
import { createRig, eventually, handledBy, stockReserved, type Rig } from './harness.ts';
import { cancellationOf, INVOICE_ENV, invoicedOrder, recordPayment, successfulPayment } from './telegram.ts';

let sandbox: RunningSandbox;
let rig: Rig;
let payment: Awaited<ReturnType<Rig['start']>>;
beforeAll(async () => {
  sandbox = await startSandbox({ botToken: INVOICE_ENV.TELEGRAM_BOT_TOKEN, logger: testLogger() });
  rig = await createRig('invoice_links');
  payment = await rig.start({ env: { ...INVOICE_ENV, TELEGRAM_API_ROOT: sandbox.url } });
});
afterAll(async () => {
  await rig.close();
  await sandbox.close();
});

type Buyer = Awaited<ReturnType<Rig['user']>>;
const linkFor = (buyer: Buyer, orderId: unknown, lang = 'en', app = payment.app) =>
  requestJson(
    app,
    'POST',
    '/payments/telegram/invoice-link',
    { orderId },
    { ...buyer.headers, 'Accept-Language': lang },
  );

describe('POST /payments/telegram/invoice-link', () => {
  it("makes a link to the chat's very invoice of the buyer's order, in their language", async () => {
    const order = await invoicedOrder(rig, { channel: 'mini_app' });
    const res = await linkFor(order.buyer, order.orderId, 'ru-RU,ru;q=0.9');
    expect(res.status).toBe(200);
    const { invoiceLink } = (await res.json()) as { invoiceLink: string };
    expect(invoiceLink).toMatch(/^https:\/\/t\.me\/\$[\w-]+$/);
    const made = sandbox.world.invoiceLinks.get(invoiceLink);
    const chats = renderInvoice(
      {
        orderId: order.orderId,
        method: 'telegram',
        invoicePayload: invoicePayloadOf(order.orderId),
        items: order.reserved.data.items,
        totalCents: order.totalCents,
        currency: 'EUR',
        languageCode: 'ru',
      },
      { providerToken: INVOICE_ENV.TELEGRAM_PAYMENT_PROVIDER_TOKEN },
    );
    expect(made).toMatchObject({
      title: `Заказ №${order.orderId}`,
      description: chats!.description,
      payload: `order:${order.orderId}`,
      providerToken: INVOICE_ENV.TELEGRAM_PAYMENT_PROVIDER_TOKEN,
      currency: 'EUR',
      prices: chats!.prices,
      totalAmount: order.totalCents,
    });
  });

  it('makes a Stars link without a provider token, in English by default', async () => {
    const order = await invoicedOrder(rig, { currency: 'XTR', totalCents: 75, channel: 'mini_app' });
    const res = await linkFor(order.buyer, order.orderId, 'de');
    const made = sandbox.world.invoiceLinks.get(((await res.json()) as { invoiceLink: string }).invoiceLink);
    expect(made).toMatchObject({
      title: `Order #${order.orderId}`,
      providerToken: '',
      currency: 'XTR',
      prices: [{ label: `Order #${order.orderId}`, amount: 75 }],
    });
  });

  it("answers 404 for someone else's order and for an unknown one, alike", async () => {
    const order = await invoicedOrder(rig);
    const stranger = await rig.user();
    for (const [buyer, orderId] of [
      [stranger, order.orderId],
      [order.buyer, order.orderId + 1_000_000_000_000],
    ] as const) {
      const res = await linkFor(buyer, orderId);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('answers 409 not_awaiting_payment for an order paid already, or expired, saying which', async () => {
    const paid = await invoicedOrder(rig);
    expect((await recordPayment(payment.app, paid.buyer, successfulPayment(paid))).status).toBe(201);
    const again = await linkFor(paid.buyer, paid.orderId);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      error: { code: 'not_awaiting_payment', details: { reason: 'already_paid' } },
    });

    const expired = await invoicedOrder(rig);
    const cancellation = cancellationOf(expired, 'expired');
    await rig.publish(cancellation);
    await handledBy(rig, payment, cancellation);
    const late = await linkFor(expired.buyer, expired.orderId);
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ error: { details: { reason: 'expired' } } });
  });

  it('answers 503 telegram_unavailable, saying so, when Telegram refuses or does not answer', async () => {
    const refusing = await rig.start({
      env: INVOICE_ENV,
      telegramFetch: async () =>
        Response.json(
          { ok: false, error_code: 400, description: 'Bad Request: PAYMENT_PROVIDER_INVALID' },
          { status: 400 },
        ),
    });
    const silent = await rig.start({ env: { ...INVOICE_ENV, TELEGRAM_API_ROOT: 'http://127.0.0.1:9' } });
    const order = await invoicedOrder(rig);
    const refused = await linkFor(order.buyer, order.orderId, 'en', refusing.app);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({
      error: {
        code: 'telegram_unavailable',
        message:
          'Telegram did not make the invoice link (Bad Request: PAYMENT_PROVIDER_INVALID); try again shortly',
      },
    });
    const unanswered = await linkFor(order.buyer, order.orderId, 'en', silent.app);
    expect(unanswered.status).toBe(503);
    expect(await unanswered.json()).toMatchObject({ error: { code: 'telegram_unavailable' } });
  });

  it('refuses a request without a token (401) or without an order number (400)', async () => {
    const order = await invoicedOrder(rig);
    const anonymous = await requestJson(payment.app, 'POST', '/payments/telegram/invoice-link', {
      orderId: order.orderId,
    });
    expect(anonymous.status).toBe(401);
    expect((await linkFor(order.buyer, 'twelve')).status).toBe(400);
  });
});

describe("an order's channel", () => {
  it('asks for an invoice for a Mini App order, carrying its channel on payment.requested', async () => {
    const order = await invoicedOrder(rig, { channel: 'mini_app' });
    expect(order.requested.data).toMatchObject({ method: 'telegram', channel: 'mini_app' });
  });

  it('charges a browser order by the web method (the simulated provider), though a Telegram provider is connected', async () => {
    const buyer = await rig.user();
    const reserved = stockReserved({ userId: buyer.id, channel: 'web' });
    await rig.publish(reserved);
    const events = await eventually(() => {
      const found = rig.eventsFor(reserved.data.orderId);
      if (found.length === 0) throw new Error('no outcome yet');
      return found;
    });
    expect(events.map((event) => event.type)).toEqual(['payment.succeeded']);
    expect(events[0]!.data).toMatchObject({ method: 'simulated' });
    // No invoice: nothing for a Mini App to link to.
    expect((await linkFor(buyer, reserved.data.orderId)).status).toBe(404);
  });
});

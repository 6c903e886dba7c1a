/**
 * Telegram's pre-checkout against the real order and payment services: the buyer presses Pay,
 * the bot answers yes only for their own order awaiting payment at the invoice's total, else no
 * with a sentence in their language; nothing is ever recorded by a pre-checkout.
 */
import { invoicePayloadOf } from '@shop/shared';
import { eventually } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../src/bot.ts';
import { botInfo } from './support/bot-info.ts';
import { createChat } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { answerOfPreCheckout, asBuyer, invoicedOrder, paymentsOf, PROVIDER_ENV } from './support/invoices.ts';

let h: Harness;
let product: number;
beforeAll(async () => {
  h = await startHarness('precheckout', { paymentEnv: PROVIDER_ENV });
  product = await h.shop.addProduct({ name: 'Pre-checkout tea', priceCents: 650 });
});
afterAll(async () => {
  await h.close();
});

const buyer = (lang: 'en' | 'ru' = 'en') => createChat(h.telegram, () => h.bot, lang);
const refused = (error: string) => [{ ok: false, error }];

const EN = {
  not_found: 'This invoice does not belong to an order of yours. Nothing was charged.',
  cancelled: 'This order is cancelled, so it can no longer be paid. Nothing was charged.',
  expired:
    'The time to pay this order has run out and its items are released. Nothing was charged: please order again.',
  already_paid: 'This order is already paid. Nothing more was charged.',
  price_changed: "This invoice no longer matches the order's total. Nothing was charged: please order again.",
  unknown_currency: 'The shop does not take payments in this currency. Nothing was charged.',
  unavailable:
    'The shop cannot confirm your order right now. Nothing was charged: please try again in a minute.',
};

describe('pre-checkout', () => {
  it("says yes to the buyer's own order awaiting payment at its total, and records nothing", async () => {
    const anna = buyer();
    const { id, invoice } = await invoicedOrder(h, anna.id, product, 2);

    expect(answerOfPreCheckout(await anna.preCheckout(invoice))).toEqual([{ ok: true }]);

    expect(await paymentsOf(h, anna.id, id)).toEqual([]);
    expect((await h.shop.orderStatuses([id])).get(id)).toBe('awaiting_payment');
  });

  it("refuses someone else's order as not theirs, and Anna's invoice stays payable", async () => {
    const anna = buyer();
    const boris = buyer();
    const { id, invoice } = await invoicedOrder(h, anna.id, product);

    expect(answerOfPreCheckout(await boris.preCheckout(invoice))).toEqual(refused(EN.not_found));

    expect(await paymentsOf(h, anna.id, id)).toEqual([]);
    expect(answerOfPreCheckout(await anna.preCheckout(invoice))).toEqual([{ ok: true }]);
  });

  it.each([
    ['a payload that names no order', 'order:abc'],
    ['a payload of another shape', 'cart:7'],
    ['an order that does not exist', invoicePayloadOf(987_654_321)],
  ])('refuses a forged invoice: %s', async (_, payload) => {
    const anna = buyer();
    const { invoice } = await invoicedOrder(h, anna.id, product);

    const answers = await anna.preCheckout({ ...invoice, payload });

    expect(answerOfPreCheckout(answers)).toEqual(refused(EN.not_found));
  });

  it('refuses an invoice whose total is not the order’s', async () => {
    const anna = buyer();
    const { id, invoice } = await invoicedOrder(h, anna.id, product);

    const answers = await anna.preCheckout({ ...invoice, totalAmount: invoice.totalAmount - 1 });

    expect(answerOfPreCheckout(answers)).toEqual(refused(EN.price_changed));
    expect(await paymentsOf(h, anna.id, id)).toEqual([]);
  });

  it('refuses a currency the shop does not know', async () => {
    const anna = buyer();
    const { invoice } = await invoicedOrder(h, anna.id, product);

    const answers = await anna.preCheckout({ ...invoice, currency: 'ZZZ' });

    expect(answerOfPreCheckout(answers)).toEqual(refused(EN.unknown_currency));
  });

  it('refuses an order the buyer cancelled', async () => {
    const anna = buyer();
    const { id, invoice } = await invoicedOrder(h, anna.id, product);
    await asBuyer(h, anna.id, (token) => h.deps.orders.cancel(token, String(id)));

    expect(answerOfPreCheckout(await anna.preCheckout(invoice))).toEqual(refused(EN.cancelled));
    expect(await paymentsOf(h, anna.id, id)).toEqual([]);
  });

  it('refuses an order whose reservation ran out, before and after the order service cancels it', async () => {
    const anna = buyer();
    const { id, invoice } = await invoicedOrder(h, anna.id, product);
    await h.shop.lapseReservation(id);

    expect(answerOfPreCheckout(await anna.preCheckout(invoice))).toEqual(refused(EN.expired));

    // The order service's sweep (every few seconds) cancels it as expired.
    await eventually(
      async () => expect((await h.shop.orderStatuses([id])).get(id)).toBe('cancelled'),
      15_000,
    );
    expect(answerOfPreCheckout(await anna.preCheckout(invoice))).toEqual(refused(EN.expired));
    expect(await paymentsOf(h, anna.id, id)).toEqual([]);
  });

  it('refuses an order already paid, and nothing more is recorded', async () => {
    const anna = buyer();
    const { id, invoice } = await invoicedOrder(h, anna.id, product);
    await anna.paid(invoice, crypto.randomUUID());
    await eventually(async () => expect((await h.shop.orderStatuses([id])).get(id)).toBe('paid'));

    expect(answerOfPreCheckout(await anna.preCheckout(invoice))).toEqual(refused(EN.already_paid));
    expect(await paymentsOf(h, anna.id, id)).toEqual([{ status: 'succeeded', amountCents: 650 }]);
  });

  it('says why in Russian to a Russian buyer', async () => {
    const olga = buyer('ru');
    const { invoice } = await invoicedOrder(h, olga.id, product);

    const answers = await olga.preCheckout({ ...invoice, totalAmount: 1 });

    expect(answerOfPreCheckout(answers)).toEqual(
      refused('Счёт больше не совпадает с суммой заказа. Деньги не списаны: оформите заказ заново.'),
    );
  });

  it.each(['order', 'payment'] as const)(
    'says no, try again, while the %s service is down, and is answered at once',
    async (part) => {
      const anna = buyer();
      const { invoice } = await invoicedOrder(h, anna.id, product);

      const started = Date.now();
      const answers = await h.shop.whileDown(part, () => anna.preCheckout(invoice));

      expect(answerOfPreCheckout(answers)).toEqual(refused(EN.unavailable));
      expect(Date.now() - started).toBeLessThan(3_000);
    },
  );

  it('a refusal stands while the other service is down: an order cancelled is cancelled', async () => {
    const anna = buyer();
    const { id, invoice } = await invoicedOrder(h, anna.id, product);
    await asBuyer(h, anna.id, (token) => h.deps.orders.cancel(token, String(id)));

    const answers = await h.shop.whileDown('payment', () => anna.preCheckout(invoice));

    expect(answerOfPreCheckout(answers)).toEqual(refused(EN.cancelled));
  });

  it('answers within its deadline when a service does not answer in time', async () => {
    // A bot whose checks never end: the deadline answers for it, well inside Telegram's 10 s.
    const stuck = createBot(
      '123:test',
      { ...h.deps, orders: { ...h.deps.orders, get: () => new Promise(() => undefined) } },
      {
        botInfo,
        client: { fetch: h.telegram.fetch, apiRoot: 'http://telegram.test' },
        payments: { preCheckoutDeadlineMs: 700 },
      },
    );
    const anna = createChat(h.telegram, () => stuck, 'en');
    const { invoice } = await invoicedOrder(h, anna.id, product);

    const started = Date.now();
    const answers = await anna.preCheckout(invoice);

    expect(answerOfPreCheckout(answers)).toEqual(refused(EN.unavailable));
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('pre-checkout ahead of the buyer’s other updates', () => {
  it('is answered while an earlier update of the same buyer is still running', async () => {
    // Telegram holds the bot's reply to /help until the test lets it go: that update stays in flight.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const slowReplies: typeof fetch = async (input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith('/sendMessage')) await held;
      return h.telegram.fetch(input, init);
    };
    const bot = createBot('123:test', h.deps, {
      botInfo,
      client: { fetch: slowReplies, apiRoot: 'http://telegram.test' },
    });
    const anna = createChat(h.telegram, () => bot, 'en');
    const { invoice } = await invoicedOrder(h, anna.id, product);

    const help = anna.send('/help');
    const helpDone = help.then(() => true);
    const answers = await Promise.race([
      anna.preCheckout(invoice),
      new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 5_000)),
    ]);
    const helpWasDone = await Promise.race([helpDone, Promise.resolve(false)]);
    release();
    await help;

    expect(answers === 'waited' ? answers : answerOfPreCheckout(answers)).toEqual([{ ok: true }]);
    expect(helpWasDone).toBe(false);
  });
});

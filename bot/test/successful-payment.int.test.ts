/**
 * `successful_payment` against the real payment service: money Telegram took is recorded exactly
 * once, however often it is delivered and to however many bots, and never confirmed to Telegram
 * before it is recorded: the handler keeps trying while the payment service or auth is down, and
 * in webhook mode the webhook answers 503 until it is recorded, so Telegram delivers it again.
 */
import { eventually, testLogger } from '@shop/testkit';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type BotOptions } from '../src/bot.ts';
import { createBotServer } from '../src/server.ts';
import { botInfo } from './support/bot-info.ts';
import { createChat, successfulPayment, type Chat, type Invoice } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { invoicedOrder, paymentsOf, PROVIDER_ENV } from './support/invoices.ts';

let h: Harness;
let product: number;
beforeAll(async () => {
  h = await startHarness('paid', { paymentEnv: PROVIDER_ENV });
  product = await h.shop.addProduct({ name: 'Paid tea', priceCents: 720 });
});
afterAll(async () => {
  await h.close();
});

const buyer = () => createChat(h.telegram, () => h.bot, 'en');
const botWith = (payments: BotOptions['payments']) =>
  createBot('123:test', h.deps, {
    botInfo,
    client: { fetch: h.telegram.fetch, apiRoot: 'http://telegram.test' },
    payments,
  });
const statusOf = async (id: number) => (await h.shop.orderStatuses([id])).get(id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Whether `task` is still running after `ms`. */
const stillRunning = async (task: Promise<unknown>, ms: number) =>
  Promise.race([task.then(() => false), sleep(ms).then(() => true)]);

let nextUpdateId = 900_000_000;
/** The update Telegram delivers when `chat`'s user paid `invoice` (the same id when it delivers it again). */
const paymentUpdate = (chat: Chat, invoice: Invoice, chargeId: string): Update => ({
  update_id: nextUpdateId++,
  message: {
    message_id: 1,
    date: Math.floor(Date.now() / 1000),
    chat: { id: chat.id, type: 'private', first_name: 'Anna' },
    from: { id: chat.id, is_bot: false, first_name: 'Anna', language_code: 'en' },
    successful_payment: successfulPayment(invoice, chargeId),
  },
});

describe('a successful payment', () => {
  it('is recorded once however often Telegram delivers it, and the order is paid', async () => {
    const anna = buyer();
    const { id, invoice } = await invoicedOrder(h, anna.id, product);
    const charge = crypto.randomUUID();

    await anna.paid(invoice, charge);
    await anna.paid(invoice, charge);
    await anna.paid(invoice, charge);

    expect(await paymentsOf(h, anna.id, id)).toEqual([{ status: 'succeeded', amountCents: 720 }]);
    await eventually(async () => expect(await statusOf(id)).toBe('paid'));
    // The receipt is notification's: the bot itself says nothing about a service message.
    expect(h.telegram.calls.filter((call) => call.payload.chat_id === anna.id)).toEqual([]);
  });

  it('delivered to two bots at once (two replicas) is recorded once', async () => {
    const anna = buyer();
    const { id, invoice } = await invoicedOrder(h, anna.id, product);
    const update = paymentUpdate(anna, invoice, crypto.randomUUID());

    await Promise.all([h.makeBot().handleUpdate(update), h.makeBot().handleUpdate(update)]);

    expect(await paymentsOf(h, anna.id, id)).toEqual([{ status: 'succeeded', amountCents: 720 }]);
  });

  it('is kept trying while the payment service is down, and recorded once it is back', async () => {
    const anna = buyer();
    const { id, invoice } = await invoicedOrder(h, anna.id, product);

    const recording = await h.shop.whileDown('payment', async () => {
      const task = anna.paid(invoice, crypto.randomUUID());
      expect(await stillRunning(task, 1_500)).toBe(true);
      return { task };
    });
    await recording.task;

    expect(await paymentsOf(h, anna.id, id)).toEqual([{ status: 'succeeded', amountCents: 720 }]);
  });

  it('is kept trying while auth is down for a buyer who must be signed in first', async () => {
    const anna = buyer();
    const { id, invoice } = await invoicedOrder(h, anna.id, product);
    // The bot forgets the sign-in: recording the payment must sign the buyer in again, at auth.
    await h.deps.signIns.signOut(anna.id);

    const recording = await h.shop.whileDown('auth', async () => {
      const task = anna.paid(invoice, crypto.randomUUID());
      expect(await stillRunning(task, 1_500)).toBe(true);
      return { task };
    });
    await recording.task;

    expect(await paymentsOf(h, anna.id, id)).toEqual([{ status: 'succeeded', amountCents: 720 }]);
  });
});

describe("Telegram's note that Stars were refunded", () => {
  it('gets no answer from the bot', async () => {
    const anna = buyer();

    const calls = await anna.message({
      refunded_payment: {
        currency: 'XTR',
        total_amount: 50,
        invoice_payload: 'order:1',
        telegram_payment_charge_id: `stx${crypto.randomUUID()}`,
      },
    });

    expect(calls).toEqual([]);
  });
});

describe('a successful payment through the webhook', () => {
  const secret = 'webhook-secret-of-the-payment-suite';
  const post = (app: ReturnType<typeof createBotServer>, update: Update) =>
    app.request('/telegram', {
      method: 'POST',
      body: JSON.stringify(update),
      headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': secret },
    });
  const serverOf = (bot: ReturnType<typeof createBot>, paymentRecordMs?: number) =>
    createBotServer({
      bot,
      logger: testLogger(),
      readiness: [],
      webhook: { path: '/telegram', secret },
      paymentRecordMs,
    });

  it('is answered 503 while it cannot be recorded, then 200 once it is, and recorded once', async () => {
    const app = serverOf(botWith({ recording: { giveUpAfterMs: 600 } }), 600);
    const anna = buyer();
    const { id, invoice } = await invoicedOrder(h, anna.id, product);
    const update = paymentUpdate(anna, invoice, crypto.randomUUID());

    const whileDown = await h.shop.whileDown('payment', async () => {
      const started = Date.now();
      const res = await post(app, update);
      return { status: res.status, ms: Date.now() - started };
    });
    expect(whileDown.status).toBe(503);
    expect(whileDown.ms).toBeLessThan(2_000);
    expect(await paymentsOf(h, anna.id, id)).toEqual([]);

    // Telegram delivers it again, and again after a lost answer: one payment.
    expect((await post(app, update)).status).toBe(200);
    expect((await post(app, update)).status).toBe(200);
    expect(await paymentsOf(h, anna.id, id)).toEqual([{ status: 'succeeded', amountCents: 720 }]);
  });

  it('is never answered 200 while it is still being recorded, however long that takes', async () => {
    // A bot that would try for ever (as in long polling): the webhook answers 503 on its own time.
    const app = serverOf(botWith({ recording: {} }), 300);
    const anna = buyer();
    const { id, invoice } = await invoicedOrder(h, anna.id, product);

    const status = await h.shop.whileDown('payment', async () => {
      const res = await post(app, paymentUpdate(anna, invoice, crypto.randomUUID()));
      return res.status;
    });

    expect(status).toBe(503);
    // Still trying after the answer: recorded once the payment service is back (Telegram's
    // delivery again then finds it recorded).
    await eventually(async () => expect(await paymentsOf(h, anna.id, id)).toHaveLength(1));
  });

  it('delivered to two webhook replicas at once is recorded once', async () => {
    const [one, two] = [serverOf(h.makeBot()), serverOf(h.makeBot())];
    const anna = buyer();
    const { id, invoice } = await invoicedOrder(h, anna.id, product);
    const update = paymentUpdate(anna, invoice, crypto.randomUUID());

    const statuses = await Promise.all([post(one, update), post(two, update)]);

    expect(statuses.map((res) => res.status)).toEqual([200, 200]);
    expect(await paymentsOf(h, anna.id, id)).toEqual([{ status: 'succeeded', amountCents: 720 }]);
  });
});

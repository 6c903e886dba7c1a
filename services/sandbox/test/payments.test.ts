import { eventually } from '@shop/testkit';
import type { Update } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Charge } from '../src/index.ts';
import { startBot } from './fake-bot.ts';
import { startTestSandbox } from './harness.ts';

const PROVIDER_TOKEN = '284685063:TEST:c2FuZGJveA';
const TIMEOUT_MS = 400;

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
let userId: number;
const stops: (() => Promise<void>)[] = [];
beforeEach(async () => {
  sandbox = await startTestSandbox({ preCheckoutTimeoutMs: TIMEOUT_MS });
  userId = (await sandbox.createUser({ firstName: 'Vera' })).id;
});
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await sandbox.close();
});

/** A bot that answers every pre-checkout query: yes (true), or no with the error message given. */
async function botAnswering(answer: (payload: string) => true | string) {
  const started = await startBot(sandbox, (bot) => {
    bot.on('pre_checkout_query', async (ctx) => {
      const verdict = answer(ctx.preCheckoutQuery.invoice_payload);
      await (verdict === true
        ? ctx.answerPreCheckoutQuery(true)
        : ctx.answerPreCheckoutQuery(false, { error_message: verdict }));
    });
  });
  stops.push(started.stop);
  return started;
}

const starsInvoice = (amount = 50, payload = 'order:1') =>
  sandbox.api.sendInvoice(userId, 'Order #1', 'E-book', payload, 'XTR', [{ label: 'E-book', amount }]);
const cardInvoice = (amount = 1250, payload = 'order:2') =>
  sandbox.api.sendInvoice(userId, 'Order #2', 'Green tea', payload, 'EUR', [{ label: 'Green tea', amount }], {
    provider_token: PROVIDER_TOKEN,
  });
/** The pay route's answer, every field optional but the status. */
interface PayAnswer {
  status: string;
  reason?: string;
  errorMessage?: string;
  preCheckoutQueryId?: string;
  charge?: Charge;
  updateId?: number;
}

const pay = async (messageId: number, body: Record<string, unknown> = {}) => {
  const answer = await sandbox.request(
    'POST',
    `/sandbox/api/chats/${userId}/invoices/${messageId}/pay`,
    body,
  );
  return { status: answer.status, body: answer.body as unknown as PayAnswer };
};
const balance = async () =>
  (await sandbox.control<{ balance: number }>(`/sandbox/api/users/${userId}/stars`)).balance;
const charges = async () =>
  (await sandbox.control<{ charges: Charge[] }>(`/sandbox/api/charges?userId=${userId}`)).charges;
const paymentsSeen = (received: Update[]) =>
  received.flatMap((update) => (update.message?.successful_payment ? [update] : []));

describe('paying an invoice', () => {
  it('in Stars: asks the bot, takes the Stars, and hands the bot successful_payment with Telegram fields', async () => {
    const bot = await botAnswering(() => true);
    const invoice = await starsInvoice(50);

    const { status, body } = await pay(invoice.message_id);

    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'paid', charge: { currency: 'XTR', totalAmount: 50, userId } });
    expect(await balance()).toBe(10_000 - 50);
    const [query] = bot.received.flatMap((update) =>
      update.pre_checkout_query ? [update.pre_checkout_query] : [],
    );
    expect(query).toEqual({
      id: body.preCheckoutQueryId,
      from: expect.objectContaining({ id: userId, first_name: 'Vera', is_bot: false }) as unknown,
      currency: 'XTR',
      total_amount: 50,
      invoice_payload: 'order:1',
    });
    await eventually(() => expect(paymentsSeen(bot.received)).toHaveLength(1));
    const [update] = paymentsSeen(bot.received);
    expect(update?.update_id).toBe(body.updateId);
    expect(update?.message).toMatchObject({
      chat: { id: userId, type: 'private' },
      from: { id: userId, is_bot: false },
      successful_payment: {
        currency: 'XTR',
        total_amount: 50,
        invoice_payload: 'order:1',
        telegram_payment_charge_id: body.charge?.telegramPaymentChargeId,
        provider_payment_charge_id: '',
      },
    });

    const chat = await sandbox.messages(userId);
    expect(chat.find((m) => m.messageId === invoice.message_id)?.invoice?.paidChargeId).toBe(
      body.charge?.telegramPaymentChargeId,
    );
    expect(chat.at(-1)).toMatchObject({
      from: 'user',
      successfulPayment: { currency: 'XTR', totalAmount: 50 },
    });
  });

  it('by card: unique Telegram and provider charge ids, and an invoice paid once only', async () => {
    await botAnswering(() => true);
    const first = await pay((await cardInvoice(1250, 'order:2')).message_id);
    const second = await pay((await cardInvoice(990, 'order:3')).message_id);

    expect(first.body).toMatchObject({ status: 'paid', charge: { currency: 'EUR', totalAmount: 1250 } });
    expect(second.body).toMatchObject({ status: 'paid', charge: { currency: 'EUR', totalAmount: 990 } });
    const ids = [first.body, second.body].flatMap(({ charge }) =>
      charge ? [charge.telegramPaymentChargeId, charge.providerPaymentChargeId] : [],
    );
    expect(new Set(ids).size).toBe(4);
    expect(ids.every((id) => id.length > 10)).toBe(true);
    expect(await balance()).toBe(10_000);

    const again = await pay(first.body.charge?.messageId ?? 0);
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'already_paid' } } });
    expect(await charges()).toHaveLength(2);
  });

  it("passes on the bot's refusal and charges nothing", async () => {
    const bot = await botAnswering(() => 'Sorry, the reservation for this order has expired.');
    const invoice = await starsInvoice(50);

    expect((await pay(invoice.message_id)).body).toEqual({
      status: 'refused',
      preCheckoutQueryId: expect.any(String) as unknown,
      errorMessage: 'Sorry, the reservation for this order has expired.',
    });
    expect(await balance()).toBe(10_000);
    expect(await charges()).toEqual([]);
    expect(paymentsSeen(bot.received)).toEqual([]);
    // Refused, so still payable.
    expect((await sandbox.messages(userId)).at(-1)?.invoice?.paidChargeId).toBeUndefined();
  });

  it('fails after the time limit when the bot does not answer, and refuses a late answer', async () => {
    let queryId = '';
    await startBot(sandbox, (bot) =>
      bot.on('pre_checkout_query', (ctx) => void (queryId = ctx.preCheckoutQuery.id)),
    ).then((bot) => stops.push(bot.stop));
    const invoice = await cardInvoice();

    const started = Date.now();
    const { body } = await pay(invoice.message_id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(body).toMatchObject({ status: 'failed', reason: 'timeout', preCheckoutQueryId: queryId });
    expect(await charges()).toEqual([]);

    expect(
      await sandbox.botCall('answerPreCheckoutQuery', { pre_checkout_query_id: queryId, ok: true }),
    ).toEqual({
      status: 400,
      body: {
        ok: false,
        error_code: 400,
        description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
      },
    });
  });

  it("waits Telegram's 10 s by default", async () => {
    const plain = await startTestSandbox();
    try {
      expect(plain.world.preCheckout.timeoutMs).toBe(10_000);
    } finally {
      await plain.close();
    }
  });

  it('fails with too few Stars before asking the bot, and takes nothing', async () => {
    const bot = await botAnswering(() => true);
    await sandbox.control(`/sandbox/api/users/${userId}/stars`, { balance: 49 }, 'PUT');
    const invoice = await starsInvoice(50);

    expect((await pay(invoice.message_id)).body).toEqual({ status: 'failed', reason: 'insufficient_stars' });
    expect(await balance()).toBe(49);
    expect(await charges()).toEqual([]);
    expect(bot.received.filter((update) => update.pre_checkout_query)).toEqual([]);
  });

  it('fails a card payment the test asks to decline after the bot said yes', async () => {
    await botAnswering(() => true);
    const invoice = await cardInvoice();

    expect((await pay(invoice.message_id, { fail: 'card_declined' })).body).toMatchObject({
      status: 'failed',
      reason: 'card_declined',
    });
    expect(await charges()).toEqual([]);
    expect((await pay(invoice.message_id, { fail: 'stolen' })).status).toBe(400);
  });

  it('cannot pay a deleted invoice, nor a message that is not one', async () => {
    await botAnswering(() => true);
    const invoice = await starsInvoice();
    await sandbox.api.deleteMessage(userId, invoice.message_id);
    expect((await pay(invoice.message_id)).status).toBe(404);
    const text = await sandbox.api.sendMessage(userId, 'Hello');
    expect((await pay(text.message_id)).status).toBe(404);
    expect(await charges()).toEqual([]);
  });

  it('pays an invoice link, as often as the user likes', async () => {
    await botAnswering(() => true);
    const link = await sandbox.api.createInvoiceLink('Gift card', 'Stars gift card', 'gift:1', '', 'XTR', [
      { label: 'Gift card', amount: 100 },
    ]);
    const slug = link.slice('https://t.me/$'.length);
    const path = `/sandbox/api/chats/${userId}/invoice-links/${slug}/pay`;

    expect((await sandbox.request('POST', path)).body).toMatchObject({ status: 'paid' });
    expect((await sandbox.request('POST', path)).body).toMatchObject({ status: 'paid' });
    expect(await balance()).toBe(10_000 - 200);
    expect(
      (await sandbox.request('POST', `/sandbox/api/chats/${userId}/invoice-links/nope/pay`)).status,
    ).toBe(404);
  });

  it('answers a pre-checkout query once, and needs error_message to refuse', async () => {
    let queryId = '';
    await startBot(sandbox, (bot) =>
      bot.on('pre_checkout_query', (ctx) => void (queryId = ctx.preCheckoutQuery.id)),
    ).then((bot) => stops.push(bot.stop));
    const paying = pay((await starsInvoice()).message_id);
    await eventually(() => expect(queryId).not.toBe(''));

    expect(
      await sandbox.botCall('answerPreCheckoutQuery', { pre_checkout_query_id: queryId, ok: false }),
    ).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: parameter "error_message" is required' },
    });
    expect(
      (await sandbox.botCall('answerPreCheckoutQuery', { pre_checkout_query_id: queryId, ok: true })).status,
    ).toBe(200);
    const again = await sandbox.botCall('answerPreCheckoutQuery', {
      pre_checkout_query_id: queryId,
      ok: true,
    });
    expect(again.body.description).toBe(
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
    expect(
      (await sandbox.botCall('answerPreCheckoutQuery', { pre_checkout_query_id: '123', ok: true })).status,
    ).toBe(400);
    expect((await paying).body.status).toBe('paid');
    const [query] = (
      await sandbox.control<{ queries: { id: string; state: string; ok: boolean }[] }>(
        `/sandbox/api/pre-checkout-queries?chatId=${userId}`,
      )
    ).queries;
    expect(query).toMatchObject({ id: queryId, state: 'answered', ok: true });
  });

  it("is not held up by flood control, and the call log files the bot's answer under the chat", async () => {
    await botAnswering(() => true);
    const invoice = await starsInvoice();
    await sandbox.control('/sandbox/api/throttle', { calls: 1, retryAfter: 5 }, 'PUT');

    expect((await pay(invoice.message_id)).body.status).toBe('paid');
    const calls = await sandbox.control<{ calls: { method: string; ok: boolean }[] }>(
      `/sandbox/api/calls?method=answerPreCheckoutQuery&chatId=${userId}`,
    );
    expect(calls.calls).toEqual([expect.objectContaining({ method: 'answerPreCheckoutQuery', ok: true })]);
  });
});

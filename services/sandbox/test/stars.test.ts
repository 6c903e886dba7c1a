import type { StarTransactions } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Charge, PayResult } from '../src/index.ts';
import { startTestSandbox } from './harness.ts';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
let userId: number;
beforeEach(async () => {
  sandbox = await startTestSandbox();
  userId = (await sandbox.createUser({ firstName: 'Ivan', languageCode: 'ru' })).id;
});
afterEach(async () => {
  await sandbox.close();
});

/** A payment Telegram reports after its pre-checkout: charged at once, no bot needed. */
const paid = async (body: { currency: string; totalAmount: number; invoicePayload: string }) => {
  const answer = await sandbox.request('POST', `/sandbox/api/chats/${userId}/successful-payments`, body);
  expect(answer.status).toBe(201);
  return (answer.body as PayResult & { status: 'paid' }).charge;
};
const balance = async () =>
  (await sandbox.control<{ balance: number }>(`/sandbox/api/users/${userId}/stars`)).balance;
const refund = (chargeId: string, user = userId) =>
  sandbox.botCall('refundStarPayment', { user_id: user, telegram_payment_charge_id: chargeId });
const refused = (description: string) => ({
  status: 400,
  body: { ok: false, error_code: 400, description: `Bad Request: ${description}` },
});

describe('Stars balance', () => {
  it('starts every user with 10 000 Stars and can be set', async () => {
    expect(await balance()).toBe(10_000);
    expect(await sandbox.request('PUT', `/sandbox/api/users/${userId}/stars`, { balance: 3 })).toEqual({
      status: 200,
      body: { userId, balance: 3 },
    });
    expect(await balance()).toBe(3);
  });

  it('refuses a negative balance and an unknown user', async () => {
    expect((await sandbox.request('PUT', `/sandbox/api/users/${userId}/stars`, { balance: -1 })).status).toBe(
      400,
    );
    expect((await sandbox.request('GET', '/sandbox/api/users/42/stars')).status).toBe(404);
  });
});

describe('a payment reported without its pre-checkout', () => {
  it('takes the Stars and hands the bot successful_payment at once', async () => {
    const charge = await paid({ currency: 'XTR', totalAmount: 30, invoicePayload: 'order:7' });
    expect(await balance()).toBe(9_970);
    const [update] = await sandbox.api.getUpdates({ timeout: 0 });
    expect(update?.message?.successful_payment).toEqual({
      currency: 'XTR',
      total_amount: 30,
      invoice_payload: 'order:7',
      telegram_payment_charge_id: charge.telegramPaymentChargeId,
      provider_payment_charge_id: '',
    });
  });

  it('refuses it when the user has too few Stars', async () => {
    await sandbox.request('PUT', `/sandbox/api/users/${userId}/stars`, { balance: 5 });
    const answer = await sandbox.request('POST', `/sandbox/api/chats/${userId}/successful-payments`, {
      currency: 'XTR',
      totalAmount: 30,
      invoicePayload: 'order:7',
    });
    expect(answer).toMatchObject({ status: 409, body: { error: { code: 'insufficient_stars' } } });
    expect(await sandbox.api.getUpdates({ timeout: 0 })).toEqual([]);
  });
});

describe('refundStarPayment', () => {
  it('gives the Stars back once, tells the chat and the bot, and refuses a second refund', async () => {
    const charge = await paid({ currency: 'XTR', totalAmount: 30, invoicePayload: 'order:7' });
    const confirmed = await sandbox.api.getUpdates({ timeout: 0 });
    const offset = (confirmed.at(-1)?.update_id ?? 0) + 1;

    expect(await refund(charge.telegramPaymentChargeId)).toEqual({
      status: 200,
      body: { ok: true, result: true },
    });
    expect(await balance()).toBe(10_000);
    // The bot's own service message, which the Bot API hands to the bot all the same.
    const [update] = await sandbox.api.getUpdates({ offset, timeout: 0 });
    expect(update?.message?.from).toMatchObject({ is_bot: true, id: 123456 });
    expect(update?.message?.refunded_payment).toEqual({
      currency: 'XTR',
      total_amount: 30,
      invoice_payload: 'order:7',
      telegram_payment_charge_id: charge.telegramPaymentChargeId,
    });
    const charges = (await sandbox.control<{ charges: Charge[] }>('/sandbox/api/charges')).charges;
    expect(charges).toEqual([expect.objectContaining({ refundedAt: expect.any(Number) as unknown })]);

    expect(await refund(charge.telegramPaymentChargeId)).toEqual(refused('CHARGE_ALREADY_REFUNDED'));
    expect(await balance()).toBe(10_000);
  });

  it("refuses an unknown charge, another user's, and a card payment", async () => {
    const stars = await paid({ currency: 'XTR', totalAmount: 30, invoicePayload: 'order:7' });
    const card = await paid({ currency: 'EUR', totalAmount: 1250, invoicePayload: 'order:8' });
    const other = (await sandbox.createUser({ firstName: 'Olga' })).id;

    expect(await refund('stxNoSuchCharge')).toEqual(refused('CHARGE_NOT_FOUND'));
    expect(await refund(stars.telegramPaymentChargeId, other)).toEqual(refused('CHARGE_NOT_FOUND'));
    expect(await refund(card.telegramPaymentChargeId)).toEqual(refused('CHARGE_NOT_FOUND'));
    expect(await sandbox.botCall('refundStarPayment', { telegram_payment_charge_id: 'x' })).toEqual(
      refused('invalid user_id specified'),
    );
    expect(await balance()).toBe(9_970);
  });
});

describe('getStarTransactions', () => {
  it("lists the bot's incoming payments and outgoing refunds in order, with offset and limit", async () => {
    const first = await paid({ currency: 'XTR', totalAmount: 30, invoicePayload: 'order:7' });
    const second = await paid({ currency: 'XTR', totalAmount: 12, invoicePayload: 'order:9' });
    await paid({ currency: 'EUR', totalAmount: 500, invoicePayload: 'order:10' });
    await refund(first.telegramPaymentChargeId);

    const all = await sandbox.botCall('getStarTransactions', {});
    const user = expect.objectContaining({ id: userId, first_name: 'Ivan' }) as unknown;
    expect((all.body.result as StarTransactions).transactions).toEqual([
      {
        id: first.telegramPaymentChargeId,
        amount: 30,
        date: first.date,
        source: { type: 'user', transaction_type: 'invoice_payment', user, invoice_payload: 'order:7' },
      },
      {
        id: second.telegramPaymentChargeId,
        amount: 12,
        date: second.date,
        source: { type: 'user', transaction_type: 'invoice_payment', user, invoice_payload: 'order:9' },
      },
      {
        id: first.telegramPaymentChargeId,
        amount: 30,
        date: expect.any(Number) as unknown,
        receiver: { type: 'user', transaction_type: 'invoice_payment', user, invoice_payload: 'order:7' },
      },
    ]);
    const page = await sandbox.api.getStarTransactions({ offset: 1, limit: 1 });
    expect(page.transactions.map((transaction) => transaction.amount)).toEqual([12]);
  });
});

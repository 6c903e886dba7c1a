import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox } from './harness.ts';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
let chatId: number;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  chatId = (await sandbox.createUser()).id;
});
afterAll(async () => {
  await sandbox.close();
});

const PROVIDER_TOKEN = '284685063:TEST:c2FuZGJveA';
const stars = (overrides: Record<string, unknown> = {}) => ({
  chat_id: chatId,
  title: 'Order #12',
  description: 'E-book × 1',
  payload: 'order:12',
  currency: 'XTR',
  prices: [{ label: 'E-book', amount: 50 }],
  ...overrides,
});
const euros = (overrides: Record<string, unknown> = {}) =>
  stars({
    currency: 'EUR',
    provider_token: PROVIDER_TOKEN,
    prices: [
      { label: 'Green tea × 2', amount: 900 },
      { label: 'Delivery', amount: 350 },
    ],
    ...overrides,
  });
const refused = (description: string) => ({
  status: 400,
  body: { ok: false, error_code: 400, description: `Bad Request: ${description}` },
});

describe('sendInvoice', () => {
  it("answers a Message with Telegram's invoice fields, and the chat shows the invoice with its photo and prices", async () => {
    const sent = await sandbox.botCall(
      'sendInvoice',
      euros({
        start_parameter: 'order-12',
        photo_url: 'http://127.0.0.1:9/tea.jpg',
        photo_width: 640,
        photo_height: 480,
      }),
    );
    expect(sent.status).toBe(200);
    const message = sent.body.result as Record<string, unknown>;
    expect(message).toMatchObject({
      chat: { id: chatId, type: 'private' },
      from: { is_bot: true },
      invoice: {
        title: 'Order #12',
        description: 'E-book × 1',
        start_parameter: 'order-12',
        currency: 'EUR',
        total_amount: 1250,
      },
    });
    // The payload and the provider token stay between the bot and Telegram.
    expect(JSON.stringify(message)).not.toMatch(/order:12|TEST/);

    const shown = (await sandbox.messages(chatId)).find((m) => m.messageId === message.message_id);
    expect(shown?.invoice).toMatchObject({
      title: 'Order #12',
      currency: 'EUR',
      totalAmount: 1250,
      prices: [
        { label: 'Green tea × 2', amount: 900 },
        { label: 'Delivery', amount: 350 },
      ],
      photo: { url: expect.stringMatching(/^\/sandbox\/files\//) as unknown, width: 640, height: 480 },
    });
    expect(shown?.invoice?.paidChargeId).toBeUndefined();
  });

  it('takes an invoice in Telegram Stars: no provider token, one price', async () => {
    const sent = await sandbox.api.sendInvoice(chatId, 'Order #13', 'E-book', 'order:13', 'XTR', [
      { label: 'E-book', amount: 50 },
    ]);
    expect(sent.invoice).toEqual({
      title: 'Order #13',
      description: 'E-book',
      start_parameter: '',
      currency: 'XTR',
      total_amount: 50,
    });
  });

  it.each([
    [
      'a Stars invoice with a provider token',
      () => stars({ provider_token: PROVIDER_TOKEN }),
      'STARS_INVOICE_INVALID',
    ],
    [
      'a Stars invoice with two prices',
      () =>
        stars({
          prices: [
            { label: 'E-book', amount: 50 },
            { label: 'Tip', amount: 5 },
          ],
        }),
      'STARS_INVOICE_INVALID',
    ],
    [
      'a card invoice without a provider token',
      () => euros({ provider_token: '' }),
      'PAYMENT_PROVIDER_INVALID',
    ],
    [
      'a card invoice with a made-up token',
      () => euros({ provider_token: 'secret' }),
      'PAYMENT_PROVIDER_INVALID',
    ],
    ['no title', () => stars({ title: '' }), 'parameter "title" is required'],
    ['no payload', () => stars({ payload: undefined }), 'parameter "payload" is required'],
    ['no prices', () => stars({ prices: [] }), 'there must be at least one price'],
    ['prices that are not JSON', () => stars({ prices: '[{' }), "can't parse prices JSON object"],
    [
      'a price without a label',
      () => stars({ prices: [{ label: '', amount: 5 }] }),
      "can't parse labeled price: LabeledPrice label must be non-empty",
    ],
    [
      'a total of zero',
      () => stars({ prices: [{ label: 'Free', amount: 0 }] }),
      'total price must be positive',
    ],
    ['a title over 32 characters', () => stars({ title: 'x'.repeat(33) }), 'TITLE_INVALID'],
    [
      'a description over 255 characters',
      () => stars({ description: 'x'.repeat(256) }),
      'DESCRIPTION_INVALID',
    ],
    ['a payload over 128 bytes', () => stars({ payload: 'я'.repeat(65) }), 'INVOICE_PAYLOAD_INVALID'],
    ['a currency that does not exist', () => euros({ currency: 'EURO' }), 'CURRENCY_INVALID'],
    [
      'a keyboard whose first button is not the Pay button',
      () => stars({ reply_markup: { inline_keyboard: [[{ text: 'Help', callback_data: 'help' }]] } }),
      'REPLY_MARKUP_BUY_EMPTY',
    ],
    ['an unknown chat', () => stars({ chat_id: 42 }), 'chat not found'],
  ])('refuses %s as Telegram does', async (_name, params, description) => {
    const before = (await sandbox.messages(chatId)).length;
    expect(await sandbox.botCall('sendInvoice', params())).toEqual(refused(description));
    expect(await sandbox.messages(chatId)).toHaveLength(before);
  });

  it('keeps a keyboard whose first button is the Pay button', async () => {
    const keyboard = {
      inline_keyboard: [[{ text: 'Pay ⭐ 50', pay: true }], [{ text: 'Help', callback_data: 'help' }]],
    };
    const sent = await sandbox.botCall('sendInvoice', stars({ reply_markup: keyboard }));
    expect(sent.body.result).toMatchObject({ reply_markup: keyboard });
  });
});

describe('createInvoiceLink', () => {
  it('answers a t.me/$ link the sandbox resolves to the invoice', async () => {
    const { chat_id: _chat, ...params } = euros();
    const created = await sandbox.botCall('createInvoiceLink', params);
    expect(created.status).toBe(200);
    const link = created.body.result as string;
    expect(link).toMatch(/^https:\/\/t\.me\/\$[\w-]+$/);

    const slug = link.slice('https://t.me/$'.length);
    expect(await sandbox.request('GET', `/sandbox/api/invoice-links/${slug}`)).toMatchObject({
      status: 200,
      body: { title: 'Order #12', currency: 'EUR', totalAmount: 1250 },
    });
    expect((await sandbox.request('GET', '/sandbox/api/invoice-links/unknown')).status).toBe(404);
  });

  it('refuses what sendInvoice refuses', async () => {
    const { chat_id: _chat, ...params } = stars({ provider_token: PROVIDER_TOKEN });
    expect(await sandbox.botCall('createInvoiceLink', params)).toEqual(refused('STARS_INVOICE_INVALID'));
  });
});

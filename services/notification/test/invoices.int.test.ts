import { createEvent, invoicePayloadOf } from '@shop/shared';
import { reorderButton } from '@shop/shared/callback-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotApiCall } from './fake-bot-api.ts';
import { afterSentinel, buyer, createRig, eventually, STARS_ORDER, type Rig } from './harness.ts';

const PROVIDER_TOKEN = '284685063:TEST:notification-invoices';

let rig: Rig;
beforeAll(async () => {
  rig = await createRig('invoices', { TELEGRAM_PAYMENT_PROVIDER_TOKEN: PROVIDER_TOKEN });
  await rig.start();
});
afterAll(() => rig.close());

type Buyer = ReturnType<typeof buyer>;

/** The calls of `method` to the buyer's chat. */
const callsOf = (user: Buyer, method: string) =>
  rig.telegram.callsTo(user.chatId).filter((call) => call.method === method);

/** Waits until the buyer has got `count` calls of `method`; returns them. */
const waitForCalls = (user: Buyer, method: string, count = 1): Promise<BotApiCall[]> =>
  eventually(() => {
    const calls = callsOf(user, method);
    if (calls.length < count) throw new Error(`${calls.length} ${method} to ${user.chatId} so far`);
    return calls;
  });

/** A linked buyer who was sent the invoice of their order; returns that invoice's call. */
async function invoiced(user: Buyer) {
  const requested = user.requested();
  await rig.publish(user.linked, user.order);
  await eventually(() => rig.recipient(user.userId));
  await rig.publish(requested);
  expect(await rig.settled(requested.id)).toMatchObject({ status: 'sent' });
  const [invoice] = await waitForCalls(user, 'sendInvoice');
  return { requested, invoice: invoice! };
}

const buttonsOf = (call: BotApiCall | undefined) =>
  (call?.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] } | undefined)
    ?.inline_keyboard;

describe('the invoice of an order that awaits payment', () => {
  it('sends a Stars invoice in Russian with exactly one price, the total, and no provider token', async () => {
    const user = buyer({ languageCode: 'ru', purchase: STARS_ORDER });

    const { invoice } = await invoiced(user);

    expect(invoice.body).toEqual({
      chat_id: user.chatId,
      title: `Заказ №${user.orderId}`,
      description: 'E-book: Tea Ceremonies × 1\nSticker pack × 1',
      payload: invoicePayloadOf(user.orderId),
      provider_token: '',
      currency: 'XTR',
      prices: [{ label: `Заказ №${user.orderId}`, amount: 75 }],
    });
  });

  it('sends an invoice in euros in English with one price per line and the provider token', async () => {
    const user = buyer({ languageCode: 'en' });

    const { invoice } = await invoiced(user);

    expect(invoice.body).toMatchObject({
      title: `Order #${user.orderId}`,
      description: 'Green tea × 2\nTeapot × 1',
      payload: invoicePayloadOf(user.orderId),
      provider_token: PROVIDER_TOKEN,
      currency: 'EUR',
      prices: [
        { label: 'Green tea × 2', amount: 900 },
        { label: 'Teapot × 1', amount: 2_990 },
      ],
    });
    // No public address for images is set here: no photo.
    expect(invoice.body).not.toHaveProperty('photo_url');
  });

  it('sends one invoice however often payment.requested arrives, even under a new id', async () => {
    const user = buyer();
    const requested = user.requested();
    await rig.publish(user.linked, user.order);
    await eventually(() => rig.recipient(user.userId));

    await rig.publish(requested, requested, createEvent('payment.requested', requested.data));

    expect(await rig.settled(requested.id)).toMatchObject({ status: 'sent', chatId: user.chatId });
    await afterSentinel(rig.sentinel());
    expect(callsOf(user, 'sendInvoice')).toHaveLength(1);
  });

  it('waits for the buyer to link a chat, then sends the invoice', async () => {
    const user = buyer({ purchase: STARS_ORDER });
    const requested = user.requested();
    await rig.publish(requested);
    await eventually(() => rig.notification(requested.id));

    await rig.publish(user.linked);

    expect(await rig.settled(requested.id)).toMatchObject({ status: 'sent' });
    expect(callsOf(user, 'sendInvoice')).toHaveLength(1);
  });
});

describe('the invoice of an order placed in the Mini App', () => {
  it('is not sent to the chat (the Mini App opens it by link), and its expiry says the order was cancelled', async () => {
    const user = buyer({ languageCode: 'en' });
    await rig.publish(user.linked, user.order);
    await eventually(() => rig.recipient(user.userId));
    const requested = user.requested();
    await rig.publish(createEvent('payment.requested', { ...requested.data, channel: 'mini_app' }));
    await afterSentinel(rig.sentinel());
    expect(rig.telegram.callsTo(user.chatId)).toEqual([]);

    const expired = user.cancelled('expired');
    await rig.publish(expired);
    expect(await rig.settled(expired.id)).toMatchObject({ status: 'sent' });
    expect(rig.telegram.callsTo(user.chatId).map((call) => call.method)).toEqual(['sendMessage']);
    expect(callsOf(user, 'sendMessage')[0]?.text).toContain(
      `⌛ Order #${user.orderId} is cancelled: it was not paid in time.`,
    );
  });
});

describe('an order whose reservation expired', () => {
  it('deletes its invoice and says the invoice expired, with an Order again button', async () => {
    const user = buyer({ languageCode: 'en' });
    const { requested } = await invoiced(user);
    const invoiceMessage = (await rig.notification(requested.id)).telegramMessageId;

    const expired = user.cancelled('expired');
    await rig.publish(expired);

    expect(await rig.settled(expired.id)).toMatchObject({ status: 'sent' });
    const [deleted] = callsOf(user, 'deleteMessage');
    expect(deleted).toMatchObject({ chatId: user.chatId, messageId: invoiceMessage });
    const [told] = callsOf(user, 'sendMessage');
    expect(told?.text.split('\n').slice(0, 2)).toEqual([
      `⌛ The invoice for order #${user.orderId} expired: it was not paid in time.`,
      'The items held for it are back on sale.',
    ]);
    expect(told!.at).toBeGreaterThan(deleted!.at);
    const buttons = buttonsOf(told);
    expect(buttons).toEqual([[{ text: '🔁 Order again', callback_data: expect.any(String) }]]);
    expect(reorderButton.parse(buttons?.[0]?.[0]?.callback_data)).toEqual({ order: user.orderId });
  });

  it('tells a Russian buyer the invoice expired even when Telegram will not delete it any more', async () => {
    const user = buyer({ languageCode: 'ru', purchase: STARS_ORDER });
    await invoiced(user);
    rig.telegram.script(user.chatId, {
      status: 400,
      description: "Bad Request: message can't be deleted for everyone",
    });

    const expired = user.cancelled('expired');
    await rig.publish(expired);

    expect(await rig.settled(expired.id)).toMatchObject({ status: 'sent' });
    expect(callsOf(user, 'deleteMessage')).toHaveLength(1);
    const [told] = callsOf(user, 'sendMessage');
    expect(told?.text.split('\n')[0]).toBe(
      `⌛ Счёт за заказ №${user.orderId} истёк: он не был оплачен вовремя.`,
    );
    expect(buttonsOf(told)?.[0]?.[0]?.text).toBe('🔁 Заказать снова');
  });

  it('never sends the invoice of an order cancelled before it went out, and deletes nothing', async () => {
    const user = buyer();
    const requested = user.requested();
    const expired = user.cancelled('expired');
    // Neither can be sent before the chat is linked: both wait, then come due together.
    await rig.publish(user.order, requested, expired);
    await eventually(() => rig.notification(requested.id));
    await eventually(() => rig.notification(expired.id));

    await rig.publish(user.linked);

    expect(await rig.settled(expired.id)).toMatchObject({ status: 'sent' });
    expect(await rig.settled(requested.id)).toMatchObject({
      status: 'skipped',
      lastError: 'the order was cancelled or paid before its invoice was sent',
    });
    await afterSentinel(rig.sentinel());
    expect(rig.telegram.callsTo(user.chatId).map((call) => call.method)).toEqual(['sendMessage']);
    expect(callsOf(user, 'sendMessage')[0]?.text).toContain(
      `⌛ Order #${user.orderId} is cancelled: it was not paid in time.`,
    );
  });

  it('deletes the invoice of an order the buyer cancelled, without an Order again button', async () => {
    const user = buyer();
    await invoiced(user);

    const cancelled = user.cancelled('buyer');
    await rig.publish(cancelled);

    expect(await rig.settled(cancelled.id)).toMatchObject({ status: 'sent' });
    expect(callsOf(user, 'deleteMessage')).toHaveLength(1);
    const [told] = callsOf(user, 'sendMessage');
    expect(told?.text).toContain(`✖️ Order #${user.orderId} is cancelled, as you asked.`);
    expect(told?.replyMarkup).toBeUndefined();
  });
});

describe('the receipt of an order paid in Telegram Stars', () => {
  it('says it was paid in Stars, in English and Russian, with the Stars written as money', async () => {
    const english = buyer({ languageCode: 'en', purchase: STARS_ORDER });
    const russian = buyer({ languageCode: 'ru', purchase: STARS_ORDER });
    const paid = [english.paid(), russian.paid()];
    await rig.publish(english.linked, russian.linked);
    await eventually(() => rig.recipient(russian.userId));
    await eventually(() => rig.recipient(english.userId));

    await rig.publish(...paid);

    for (const event of paid) expect(await rig.settled(event.id)).toMatchObject({ status: 'sent' });
    expect(callsOf(english, 'sendMessage')[0]?.text.split('\n')).toEqual([
      `✅ Order #${english.orderId} is paid in Telegram Stars.`,
      '',
      '• E-book: Tea Ceremonies × 1 — XTR\u00a050',
      '• Sticker pack × 1 — XTR\u00a025',
      'Total: XTR\u00a075',
    ]);
    expect(callsOf(russian, 'sendMessage')[0]?.text.split('\n')[0]).toBe(
      `✅ Заказ №${russian.orderId} оплачен звёздами Telegram.`,
    );
  });
});

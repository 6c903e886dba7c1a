import { createEvent, declineReasons } from '@shop/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BOT_TOKEN,
  afterSentinel,
  buyer,
  createRig,
  eventually,
  recordingLogger,
  type Rig,
} from './harness.ts';

let rig: Rig;
let service: Awaited<ReturnType<Rig['start']>>;
const { logger, lines } = recordingLogger();

beforeAll(async () => {
  // Short enough that "never linked" is decided within a test, long enough for late arrivals.
  rig = await createRig('notify', { NOTIFICATION_MAX_WAIT_SECONDS: '2' });
  service = await rig.start(logger);
});
afterAll(() => rig.close());

describe('notification service', () => {
  it('tells a linked buyer in Russian that the order is paid: number, items and total', async () => {
    const user = buyer({ languageCode: 'ru' });
    const paid = user.paid();
    await rig.publish(user.linked, user.order);
    await eventually(() => rig.recipient(user.userId));
    await rig.publish(paid);

    const row = await rig.settled(paid.id);
    expect(row).toMatchObject({ status: 'sent', chatId: user.chatId, attempts: 1, sentAt: expect.any(Date) });
    const calls = rig.telegram.callsTo(user.chatId);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ token: BOT_TOKEN, method: 'sendMessage' });
    expect(row.telegramMessageId).toEqual(expect.any(Number));
    const text = calls[0]!.text;
    expect(text).toContain(`Заказ №${user.orderId} оплачен`);
    expect(text).toContain('Green tea × 2 — 9,00\u00a0€');
    expect(text).toContain('Teapot × 1 — 29,90\u00a0€');
    expect(text).toContain('Итого: 38,90\u00a0€');
  });

  it('tells a buyer in English that the payment failed, and why in a sentence', async () => {
    const user = buyer({ languageCode: 'en' });
    const failed = user.failed(declineReasons.amountLimitExceeded);
    await rig.publish(user.linked, user.order);
    await eventually(() => rig.recipient(user.userId));
    await rig.publish(failed);

    expect(await rig.settled(failed.id)).toMatchObject({ status: 'sent' });
    const [call] = rig.telegram.callsTo(user.chatId);
    expect(call?.text).toContain(`Payment for order #${user.orderId} failed`);
    expect(call?.text).toContain('The total is above the limit for one payment. No money was taken.');
    expect(call?.text).not.toContain(declineReasons.amountLimitExceeded);
    expect(call?.text).toContain('Total: €38.90');
  });

  it('sends one message when the same outcome arrives three times, or again under a new id', async () => {
    const user = buyer();
    const paid = user.paid();
    const republished = createEvent('order.paid', paid.data);
    await rig.publish(user.linked, user.order);
    await rig.publish(paid, paid, paid, republished);

    expect(await rig.settled(paid.id)).toMatchObject({ status: 'sent' });
    await afterSentinel(rig.sentinel());
    expect(rig.telegram.callsTo(user.chatId)).toHaveLength(1);
    await expect(rig.notification(republished.id)).rejects.toThrow();
  });

  it('keeps a message that arrives before its order.created and sends it once the order is known', async () => {
    const user = buyer();
    const paid = user.cancelled();
    await rig.publish(user.linked);
    await eventually(() => rig.recipient(user.userId));
    await rig.publish(paid);
    await eventually(() => rig.notification(paid.id));
    await afterSentinel(rig.sentinel());
    expect(rig.telegram.callsTo(user.chatId)).toHaveLength(0);
    expect((await rig.notification(paid.id)).status).toBe('pending');

    await rig.publish(user.order);
    expect(await rig.settled(paid.id)).toMatchObject({ status: 'sent' });
    expect(rig.telegram.callsTo(user.chatId)).toHaveLength(1);
    expect(rig.telegram.callsTo(user.chatId)[0]?.text).toContain('Teapot');
  });

  it('sends the paid message at once, without waiting for order.created: it carries the items', async () => {
    const user = buyer();
    const paid = user.paid();
    await rig.publish(user.linked);
    await eventually(() => rig.recipient(user.userId));

    await rig.publish(paid);

    expect(await rig.settled(paid.id)).toMatchObject({ status: 'sent' });
    const [call] = rig.telegram.callsTo(user.chatId);
    expect(call?.text).toContain(`Order #${user.orderId} is paid`);
    expect(call?.text).toContain('Teapot × 1 — €29.90');
    expect(call?.text).toContain('Total: €38.90');
    // The order.created that comes after changes nothing: still one message.
    await rig.publish(user.order);
    await afterSentinel(rig.sentinel());
    expect(rig.telegram.callsTo(user.chatId)).toHaveLength(1);
  });

  it('keeps an outcome that arrives before the chat is linked and sends it once it is', async () => {
    const user = buyer();
    const paid = user.paid();
    await rig.publish(user.order, paid);
    await eventually(() => rig.notification(paid.id));
    await afterSentinel(rig.sentinel());
    expect((await rig.notification(paid.id)).status).toBe('pending');

    await rig.publish(user.linked);
    expect(await rig.settled(paid.id)).toMatchObject({ status: 'sent', chatId: user.chatId });
    expect(rig.telegram.callsTo(user.chatId)).toHaveLength(1);
  });

  it('skips a buyer who never linked a chat, with a log line, and stops looking', async () => {
    const user = buyer();
    const paid = user.paid();
    await rig.publish(user.order, paid);

    const row = await rig.settled(paid.id);
    expect(row).toMatchObject({
      status: 'skipped',
      lastError: 'the user has no linked Telegram chat',
      attempts: 0,
    });
    expect(lines).toContainEqual(
      expect.objectContaining({
        eventId: paid.id,
        msg: 'notification skipped: the user has no linked Telegram chat',
      }),
    );
    expect(rig.telegram.calls.filter((call) => call.text.includes(String(user.orderId)))).toHaveLength(0);
  });

  it('says which products ran short when an order is cancelled for lack of stock, in English and Russian', async () => {
    const shortages = [
      { productId: 1, name: 'Green tea', requested: 2, available: 1 },
      { productId: 2, name: 'Teapot', requested: 1, available: 0 },
    ];
    const english = buyer({ languageCode: 'en' });
    const russian = buyer({ languageCode: 'ru' });
    const events = [english, russian].map((user) => user.cancelled('out_of_stock', shortages));
    await rig.publish(english.linked, english.order, russian.linked, russian.order, ...events);

    for (const event of events) expect(await rig.settled(event.id)).toMatchObject({ status: 'sent' });
    expect(rig.telegram.callsTo(english.chatId)[0]?.text.split('\n').slice(0, 4)).toEqual([
      `❌ Order #${english.orderId} is cancelled: not enough in stock.`,
      '• Green tea: only 1 left',
      '• Teapot: none left',
      'No money was taken.',
    ]);
    expect(rig.telegram.callsTo(russian.chatId)[0]?.text.split('\n').slice(0, 4)).toEqual([
      `❌ Заказ №${russian.orderId} отменён: товара не хватило.`,
      '• Green tea: осталось только 1',
      '• Teapot: не осталось',
      'Деньги не списаны.',
    ]);
  });

  it('tells the buyer an unpaid order expired, then that the payment taken meanwhile was refunded', async () => {
    const user = buyer({ languageCode: 'en' });
    const expired = user.cancelled('expired');
    const refunded = user.refunded();
    await rig.publish(user.linked, user.order, expired);
    expect(await rig.settled(expired.id)).toMatchObject({ status: 'sent' });
    await rig.publish(refunded);

    expect(await rig.settled(refunded.id)).toMatchObject({ status: 'sent' });
    const texts = rig.telegram.callsTo(user.chatId).map((call) => call.text.split('\n')[0]);
    expect(texts).toEqual([
      `⌛ Order #${user.orderId} is cancelled: it was not paid in time.`,
      `💸 The payment of €38.90 for order #${user.orderId} was refunded.`,
    ]);
  });

  it('confirms to the buyer, in Russian, the cancellation they asked for', async () => {
    const user = buyer({ languageCode: 'ru' });
    const cancelled = user.cancelled('buyer');
    await rig.publish(user.linked, user.order, cancelled);

    expect(await rig.settled(cancelled.id)).toMatchObject({ status: 'sent' });
    expect(rig.telegram.callsTo(user.chatId)[0]?.text).toContain(
      `✖️ Заказ №${user.orderId} отменён по вашей просьбе.\nОтложенные для него товары снова в продаже.`,
    );
  });

  it('tells the buyer, in their language, that the order is shipped with the tracking note, then delivered', async () => {
    const english = buyer({ languageCode: 'en' });
    const russian = buyer({ languageCode: 'ru' });
    const news = [english, russian].flatMap((user) => [
      user.shipped('DHL 00340434161094042557'),
      user.delivered(),
    ]);
    await rig.publish(english.linked, english.order, russian.linked, russian.order);
    await eventually(() => rig.recipient(russian.userId));
    await rig.publish(...news);

    for (const event of news) expect(await rig.settled(event.id)).toMatchObject({ status: 'sent' });
    const firstLines = (user: typeof english) =>
      rig.telegram.callsTo(user.chatId).map((call) => call.text.split('\n').slice(0, 2));
    expect(firstLines(english)).toEqual(
      expect.arrayContaining([
        [`📦 Order #${english.orderId} is on its way.`, 'Tracking: DHL 00340434161094042557'],
        [`🎉 Order #${english.orderId} is delivered. Thank you for your purchase!`, ''],
      ]),
    );
    expect(firstLines(russian)).toEqual(
      expect.arrayContaining([
        [`📦 Заказ №${russian.orderId} отправлен.`, 'Отслеживание: DHL 00340434161094042557'],
        [`🎉 Заказ №${russian.orderId} доставлен. Спасибо за покупку!`, ''],
      ]),
    );
    expect(rig.telegram.callsTo(russian.chatId)[0]?.text).toContain('Итого: 38,90\u00a0€');
  });

  it('tells the buyer the shop cancelled their paid order, why, that it is refunded; once, however often it arrives', async () => {
    const user = buyer({ languageCode: 'ru' });
    const cancelled = user.cancelledByShop('Этот чай больше не выпускают', true);
    await rig.publish(user.linked, user.order);
    await eventually(() => rig.recipient(user.userId));

    await rig.publish(cancelled, cancelled, createEvent('order.cancelled', cancelled.data));
    const refunded = user.refunded();
    await rig.publish(refunded);

    expect(await rig.settled(cancelled.id)).toMatchObject({ status: 'sent' });
    expect(await rig.settled(refunded.id)).toMatchObject({ status: 'sent' });
    await afterSentinel(rig.sentinel());
    const texts = rig.telegram.callsTo(user.chatId).map((call) => call.text);
    expect(texts).toHaveLength(2);
    expect(
      texts
        .find((text) => text.startsWith('✖️'))
        ?.split('\n')
        .slice(0, 3),
    ).toEqual([
      `✖️ Заказ №${user.orderId} отменён магазином.`,
      'Причина: Этот чай больше не выпускают',
      'Оплата будет возвращена.',
    ]);
    expect(
      texts.some((text) => text.startsWith(`💸 Оплата заказа №${user.orderId} (38,90\u00a0€) возвращена.`)),
    ).toBe(true);
  });

  it('tells the buyer the shop cancelled an unpaid order without promising a refund', async () => {
    const user = buyer({ languageCode: 'en' });
    const cancelled = user.cancelledByShop();
    await rig.publish(user.linked, user.order, cancelled);

    expect(await rig.settled(cancelled.id)).toMatchObject({ status: 'sent' });
    expect(rig.telegram.callsTo(user.chatId)[0]?.text.split('\n').slice(0, 2)).toEqual([
      `✖️ Order #${user.orderId} was cancelled by the shop.`,
      '',
    ]);
  });

  it('says nothing on payment.succeeded: an order is paid when the order service says so', async () => {
    const user = buyer();
    await rig.publish(
      user.linked,
      user.order,
      createEvent('payment.succeeded', {
        paymentId: crypto.randomUUID(),
        orderId: user.orderId,
        userId: user.userId,
        amountCents: 3_890,
        currency: 'EUR',
      }),
    );

    await afterSentinel(rig.sentinel());
    expect(rig.telegram.callsTo(user.chatId)).toEqual([]);
  });

  it('answers /ready with postgres and rabbitmq up', async () => {
    const res = await service.app.request('/ready');
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toMatch(/postgres.*rabbitmq/);
  });
});

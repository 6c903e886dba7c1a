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
    const paid = user.succeeded();
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
    const paid = user.succeeded();
    const republished = createEvent('payment.succeeded', paid.data);
    await rig.publish(user.linked, user.order);
    await rig.publish(paid, paid, paid, republished);

    expect(await rig.settled(paid.id)).toMatchObject({ status: 'sent' });
    await afterSentinel(rig.sentinel());
    expect(rig.telegram.callsTo(user.chatId)).toHaveLength(1);
    await expect(rig.notification(republished.id)).rejects.toThrow();
  });

  it('keeps an outcome that arrives before its order.created and sends it once the order is known', async () => {
    const user = buyer();
    const paid = user.succeeded();
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

  it('sends an outcome that carries its items at once, without waiting for order.created', async () => {
    const user = buyer();
    const paid = createEvent('payment.succeeded', { ...user.succeeded().data, items: user.order.data.items });
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
    const paid = user.succeeded();
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
    const paid = user.succeeded();
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

  it('answers /ready with postgres and rabbitmq up', async () => {
    const res = await service.app.request('/ready');
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toMatch(/postgres.*rabbitmq/);
  });
});

import { createEvent, declineReasons, InboxMessage } from '@shop/shared';
import { adminOrderButton } from '@shop/shared/callback-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotApiCall } from './fake-bot-api.ts';
import {
  admin,
  afterSentinel,
  buyer,
  configured,
  createRig,
  eventually,
  recordingLogger,
  type Rig,
} from './harness.ts';

let rig: Rig;
let service: Awaited<ReturnType<Rig['start']>>;
const { logger, lines } = recordingLogger();

beforeAll(async () => {
  rig = await createRig('alerts');
  service = await rig.start(logger);
});
afterAll(() => rig.close());

const em = () => service.orm.em.fork();
const delivery = {
  name: 'Anna Petrova',
  phone: '+7 900 123-45-67',
  address: 'Nevsky prospekt 28, St Petersburg',
};

/** Calls to `chatId` about order (or product) `id`. */
const about = (chatId: number, id: number) =>
  rig.telegram.callsTo(chatId).filter((call) => new RegExp(`[#№]${id}\\b`).test(call.text));

/** Waits until `chatId` has been told about `id`; returns that one call. */
const alerted = async (chatId: number, id: number): Promise<BotApiCall> =>
  eventually(() => {
    const [call] = about(chatId, id);
    if (!call) throw new Error(`no alert about ${id} in ${chatId} yet`);
    return call;
  });

/** Waits until the grant of `userId` is stored as `granted`. */
const grantIs = (userId: string, granted: boolean) =>
  eventually(async () => {
    const [row] = await em().execute<{ granted: boolean }[]>(
      'select granted from admin_grants where user_id = ?',
      [userId],
    );
    expect(row?.granted).toBe(granted);
  });

/** Waits until ADMIN_TELEGRAM_IDS, as notification knows it, names exactly `ids`. */
const configuredAre = (ids: number[]) =>
  eventually(async () => {
    const [row] = await em().execute<{ ids: string[] }[]>(
      'select telegram_ids::text[] as ids from configured_admins where id = 1',
    );
    expect(row?.ids.map(Number).sort()).toEqual([...ids].sort());
  });

/** Waits until the admins' consumer has applied the event `eventId`. */
const applied = (eventId: string) =>
  eventually(async () =>
    expect(
      await em().count(InboxMessage, { consumer: `${rig.names.queuePrefix}.admins`, messageId: eventId }),
    ).toBe(1),
  );

/** Admins whose chats are linked and whose grants are stored. */
async function grantedAdmins(...admins: ReturnType<typeof admin>[]) {
  await rig.publish(...admins.flatMap((one) => [one.linked, one.granted()]));
  for (const one of admins) {
    await eventually(() => rig.recipient(one.userId));
    await grantIs(one.userId, true);
  }
}

describe("alerts to the shop's admins", () => {
  it('alerts every admin once an order is paid, in their language: number, buyer, lines, total, delivery, and an Open order button', async () => {
    const english = admin({ languageCode: 'en' });
    const russian = admin({ languageCode: 'ru' });
    await grantedAdmins(english);
    await rig.publish(russian.linked, configured([russian.chatId]));
    await configuredAre([russian.chatId]);
    await eventually(() => rig.recipient(russian.userId));
    const customer = buyer();
    const paid = createEvent('order.paid', { ...customer.order.data, delivery });

    await rig.publish(customer.linked, paid);

    const [inEnglish, inRussian] = [
      await alerted(english.chatId, customer.orderId),
      await alerted(russian.chatId, customer.orderId),
    ];
    expect(inEnglish.text.split('\n')).toEqual([
      `🛒 New order #${customer.orderId}: paid`,
      'Buyer: Anna Petrova',
      '• Green tea × 2 — €9.00',
      '• Teapot × 1 — €29.90',
      'Total: €38.90',
      'Delivery: Anna Petrova, +7 900 123-45-67',
      'Nevsky prospekt 28, St Petersburg',
    ]);
    expect(inRussian.text.split('\n')).toEqual([
      `🛒 Новый заказ №${customer.orderId}: оплачен`,
      'Покупатель: Anna Petrova',
      '• Green tea × 2 — 9,00\u00a0€',
      '• Teapot × 1 — 29,90\u00a0€',
      'Итого: 38,90\u00a0€',
      'Доставка: Anna Petrova, +7 900 123-45-67',
      'Nevsky prospekt 28, St Petersburg',
    ]);
    const buttons = (call: BotApiCall) =>
      (call.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    expect(buttons(inEnglish)).toEqual([[{ text: 'Open order', callback_data: expect.any(String) }]]);
    expect(buttons(inRussian)[0]?.[0]?.text).toBe('Открыть заказ');
    expect(adminOrderButton.parse(buttons(inEnglish)[0]?.[0]?.callback_data)).toEqual({
      order: customer.orderId,
    });

    // The buyer gets their receipt, not the merchant's alert; the delivery details stay out of the logs.
    await eventually(() => expect(rig.telegram.callsTo(customer.chatId)).toHaveLength(1));
    expect(rig.telegram.callsTo(customer.chatId)[0]?.text).toContain(`Order #${customer.orderId} is paid`);
    expect(rig.telegram.callsTo(customer.chatId)[0]?.replyMarkup).toBeUndefined();
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain(delivery.phone);
    expect(logged).not.toContain(delivery.address);
  });

  it('names the reason of a failed payment in a sentence, and the products an order ran short of', async () => {
    const english = admin({ languageCode: 'en' });
    await grantedAdmins(english);
    const customer = buyer();
    const anna = createEvent('user.telegram_linked', { ...customer.linked.data, firstName: 'Anna' });
    await rig.publish(anna);
    await eventually(() => rig.recipient(customer.userId));
    const other = buyer({ userId: customer.userId, chatId: customer.chatId });

    await rig.publish(
      customer.failed(declineReasons.amountLimitExceeded),
      other.cancelled('out_of_stock', [{ productId: 2, name: 'Teapot', requested: 3, available: 1 }]),
    );

    expect((await alerted(english.chatId, customer.orderId)).text.split('\n')).toEqual([
      `⚠️ Payment for order #${customer.orderId} failed`,
      'Buyer: Anna',
      'Total: €38.90',
      'The total is above the limit for one payment.',
    ]);
    expect((await alerted(english.chatId, other.orderId)).text.split('\n')).toEqual([
      `❌ Order #${other.orderId} cancelled: not enough in stock`,
      'Buyer: Anna',
      '• Teapot: 3 asked for, 1 left',
    ]);
  });

  it('alerts of low stock and of a product sold out, without a button', async () => {
    const russian = admin({ languageCode: 'ru' });
    await grantedAdmins(russian);
    const productId = 1_000_000 + Math.floor(Math.random() * 1e9);
    const low = createEvent('stock.low', {
      productId,
      name: 'Teapot',
      nameRu: 'Чайник',
      available: 3,
      threshold: 3,
    });
    const gone = createEvent('stock.low', {
      productId,
      name: 'Teapot',
      nameRu: 'Чайник',
      available: 0,
      threshold: 3,
    });

    await rig.publish(low, gone);

    await eventually(() =>
      expect(rig.telegram.callsTo(russian.chatId).map((call) => call.text)).toEqual(
        expect.arrayContaining([
          '📉 Товар заканчивается: Чайник, осталось 3',
          '⛔ Товар распродан: Чайник, не осталось',
        ]),
      ),
    );
    expect(rig.telegram.callsTo(russian.chatId).every((call) => call.replyMarkup === undefined)).toBe(true);
  });

  it('sends one alert per admin however often the event arrives, even republished under a new id', async () => {
    const first = admin();
    const second = admin();
    await grantedAdmins(first, second);
    const customer = buyer();
    const paid = customer.paid();

    await rig.publish(paid, paid, paid, createEvent('order.paid', paid.data));

    await alerted(first.chatId, customer.orderId);
    await alerted(second.chatId, customer.orderId);
    await afterSentinel(rig.sentinel());
    expect(about(first.chatId, customer.orderId)).toHaveLength(1);
    expect(about(second.chatId, customer.orderId)).toHaveLength(1);
  });

  it('stops alerting an admin whose grant is revoked, and alerts one granted since; a late older grant changes nothing', async () => {
    const revoked = admin();
    const granted = admin();
    await grantedAdmins(revoked);
    await rig.publish(granted.linked);
    await eventually(() => rig.recipient(granted.userId));
    const grantedBefore = createEvent(
      'user.admin_grant_changed',
      { userId: revoked.userId, granted: true },
      { occurredAt: new Date(Date.now() - 60_000) },
    );

    await rig.publish(revoked.revoked(), granted.granted());
    await grantIs(revoked.userId, false);
    await grantIs(granted.userId, true);
    await rig.publish(grantedBefore);
    await applied(grantedBefore.id);
    const customer = buyer();
    await rig.publish(customer.paid());

    await alerted(granted.chatId, customer.orderId);
    await afterSentinel(rig.sentinel());
    expect(rig.telegram.callsTo(revoked.chatId)).toEqual([]);
    const rows = await em().execute('select chat_id from admin_alerts where alert_key = ?', [
      `order.paid:${customer.orderId}`,
    ]);
    expect(rows.map((row) => Number(row.chat_id))).not.toContain(revoked.chatId);
  });

  it('follows ADMIN_TELEGRAM_IDS as auth announces it at each start; an older announcement arriving late changes nothing', async () => {
    const dropped = admin();
    const named = admin();
    await rig.publish(dropped.linked, named.linked, configured([dropped.chatId]));
    await configuredAre([dropped.chatId]);

    await rig.publish(configured([named.chatId]));
    await configuredAre([named.chatId]);
    const late = configured([dropped.chatId], new Date(Date.now() - 60_000));
    await rig.publish(late);
    await applied(late.id);
    const customer = buyer();
    await rig.publish(customer.paid());

    await alerted(named.chatId, customer.orderId);
    await afterSentinel(rig.sentinel());
    expect(about(dropped.chatId, customer.orderId)).toEqual([]);
    await configuredAre([named.chatId]);
  });

  it('leaves out of later alerts an admin who blocked the bot (403), until they link their chat again', async () => {
    const blocking = admin();
    const other = admin();
    await grantedAdmins(blocking, other);
    rig.telegram.script(blocking.chatId, { status: 403 });
    const first = buyer();
    await rig.publish(first.paid());
    await alerted(other.chatId, first.orderId);
    await eventually(async () => expect((await rig.recipient(blocking.userId)).unreachableAt).not.toBeNull());

    const second = buyer();
    await rig.publish(second.paid());
    await alerted(other.chatId, second.orderId);
    await afterSentinel(rig.sentinel());
    expect(about(blocking.chatId, second.orderId)).toEqual([]);

    await rig.publish(createEvent('user.telegram_linked', blocking.linked.data));
    await eventually(async () => expect((await rig.recipient(blocking.userId)).unreachableAt).toBeNull());
    const third = buyer();
    await rig.publish(third.paid());
    await alerted(blocking.chatId, third.orderId);
  });

  it('sends an alert once Telegram answers after 5xx errors', async () => {
    const patient = admin();
    await grantedAdmins(patient);
    rig.telegram.script(patient.chatId, { status: 500 }, { status: 500 });
    const customer = buyer();

    await rig.publish(customer.paid());

    await eventually(async () => {
      const [row] = await em().execute<{ status: string; attempts: number }[]>(
        'select status, attempts from admin_alerts where alert_key = ? and chat_id = ?',
        [`order.paid:${customer.orderId}`, patient.chatId],
      );
      expect(row).toEqual({ status: 'sent', attempts: 1 });
    });
    expect(about(patient.chatId, customer.orderId)).toHaveLength(3);
  });

  it('does not resend an alert whose sender died mid-call: it is marked failed, outcome unknown', async () => {
    const watcher = admin();
    await grantedAdmins(watcher);
    const key = `order.paid:${buyer().orderId}`;
    await em().execute(
      `insert into admin_alerts (alert_key, chat_id, admin_user_id, kind, payload, status, attempts, claimed_at)
       values (?, ?, ?, 'order.paid', '{}'::jsonb, 'sending', 1, now() - interval '1 day')`,
      [key, watcher.chatId, watcher.userId],
    );

    // A replica starting now looks for abandoned claims at once.
    await rig.start();

    await eventually(async () => {
      const [row] = await em().execute<{ status: string; last_error: string }[]>(
        'select status, last_error from admin_alerts where alert_key = ?',
        [key],
      );
      expect(row).toMatchObject({ status: 'failed', last_error: expect.stringMatching(/outcome unknown/) });
    });
    expect(rig.telegram.callsTo(watcher.chatId)).toEqual([]);
  });
});

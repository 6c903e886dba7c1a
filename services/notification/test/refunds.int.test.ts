import { createEvent } from '@shop/shared';
import { adminOrderButton, adminRefundsButton } from '@shop/shared/callback-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotApiCall } from './fake-bot-api.ts';
import { admin, afterSentinel, buyer, createRig, eventually, STARS_ORDER, type Rig } from './harness.ts';

let rig: Rig;
let service: Awaited<ReturnType<Rig['start']>>;
const english = admin({ languageCode: 'en' });
const russian = admin({ languageCode: 'ru' });

beforeAll(async () => {
  rig = await createRig('refunds');
  service = await rig.start();
  await rig.publish(english.linked, english.granted(), russian.linked, russian.granted());
  for (const one of [english, russian]) {
    await eventually(async () => {
      const [row] = await service.orm.em
        .fork()
        .execute<{ granted: boolean }[]>('select granted from admin_grants where user_id = ?', [one.userId]);
      expect(row?.granted).toBe(true);
    });
  }
});
afterAll(() => rig.close());

type Buyer = ReturnType<typeof buyer>;

/** Calls to `chatId` about order `orderId`. */
const about = (chatId: number, orderId: number) =>
  rig.telegram.callsTo(chatId).filter((call) => new RegExp(`[#№]${orderId}\\b`).test(call.text));

/** Waits until `chatId` has been told about order `orderId`; returns that one call. */
const told = (chatId: number, orderId: number): Promise<BotApiCall> =>
  eventually(() => {
    const [call] = about(chatId, orderId);
    if (!call) throw new Error(`nothing about ${orderId} in ${chatId} yet`);
    return call;
  });

/** A linked buyer whose order is known. */
async function known(user: Buyer) {
  await rig.publish(user.linked, user.order);
  await eventually(() => rig.recipient(user.userId));
}

const buttonsOf = (call: BotApiCall) =>
  (call.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;

describe('a provider payment to refund by hand (telegram)', () => {
  it('tells the buyer the shop will refund it to their card, and every admin what to refund, with both charge ids', async () => {
    const user = buyer({ languageCode: 'en' });
    await known(user);

    const pending = user.refundPending('order_expired');
    await rig.publish(pending);

    expect(await rig.settled(pending.id)).toMatchObject({ status: 'sent' });
    expect((await told(user.chatId, user.orderId)).text.split('\n').slice(0, 3)).toEqual([
      `↩️ The shop will refund €38.90 for order #${user.orderId} to your card.`,
      'The payment arrived after the reservation of the order had expired.',
      '',
    ]);
    const { providerPaymentChargeId, telegramPaymentChargeId } = pending.data;
    const inEnglish = await told(english.chatId, user.orderId);
    expect(inEnglish.text.split('\n')).toEqual([
      `↩️ Refund to make: order #${user.orderId}`,
      'Buyer: name unknown',
      'Amount: €38.90',
      'The payment arrived after the reservation had expired.',
      `Provider's charge id: ${providerPaymentChargeId}`,
      `Telegram's charge id: ${telegramPaymentChargeId}`,
      "Refund it in the payment provider's dashboard, then mark it refunded.",
    ]);
    expect(buttonsOf(inEnglish)).toEqual([
      [{ text: '💳 Refunds to make', callback_data: adminRefundsButton.build() }],
      [{ text: 'Open order', callback_data: adminOrderButton.build({ order: user.orderId }) }],
    ]);
    const inRussian = await told(russian.chatId, user.orderId);
    expect(inRussian.text.split('\n').slice(0, 6)).toEqual([
      `↩️ Нужно вернуть деньги: заказ №${user.orderId}`,
      'Покупатель: имя неизвестно',
      'Сумма: 38,90\u00a0€',
      'Оплата пришла, когда бронь уже истекла.',
      `ID платежа у провайдера: ${providerPaymentChargeId}`,
      `ID платежа в Telegram: ${telegramPaymentChargeId}`,
    ]);
    expect(buttonsOf(inRussian)[0]?.[0]?.text).toBe('💳 Возвраты к оформлению');
  });

  it('tells a buyer who paid twice about each payment owed back, once each however often it arrives', async () => {
    const user = buyer({ languageCode: 'ru' });
    await known(user);
    const first = user.refundPending('already_paid', 'telegram', crypto.randomUUID());
    const second = user.refundPending('already_paid', 'telegram', crypto.randomUUID());

    await rig.publish(first, second, first, createEvent('payment.refund_pending', second.data));

    for (const event of [first, second])
      expect(await rig.settled(event.id)).toMatchObject({ status: 'sent' });
    await afterSentinel(rig.sentinel());
    const texts = about(user.chatId, user.orderId).map((call) => call.text.split('\n').slice(0, 2));
    expect(texts).toEqual([
      [
        `↩️ Магазин вернёт 38,90\u00a0€ за заказ №${user.orderId} на вашу карту.`,
        'Заказ уже был оплачен: это был повторный платёж.',
      ],
      [
        `↩️ Магазин вернёт 38,90\u00a0€ за заказ №${user.orderId} на вашу карту.`,
        'Заказ уже был оплачен: это был повторный платёж.',
      ],
    ]);
    // Alerts go out on their own claims, after the buyer's messages: wait for both.
    await eventually(() => expect(about(english.chatId, user.orderId)).toHaveLength(2));
  });
});

describe('a Stars payment refunded by the payment service', () => {
  it('tells the buyer the Stars are on their way back, and no admin', async () => {
    const user = buyer({ languageCode: 'en', purchase: STARS_ORDER });
    await known(user);

    const pending = user.refundPending('order_expired');
    await rig.publish(pending);

    expect(await rig.settled(pending.id)).toMatchObject({ status: 'sent' });
    expect((await told(user.chatId, user.orderId)).text.split('\n').slice(0, 2)).toEqual([
      `↩️ Your payment of XTR\u00a075 for order #${user.orderId} is being refunded: the Stars are on their way back to your balance.`,
      'The payment arrived after the reservation of the order had expired.',
    ]);
    await afterSentinel(rig.sentinel());
    expect(about(english.chatId, user.orderId)).toEqual([]);
    expect(about(russian.chatId, user.orderId)).toEqual([]);
  });

  it('tells the buyer, in Russian, that the Stars are back, and why', async () => {
    const user = buyer({ languageCode: 'ru', purchase: STARS_ORDER });
    await known(user);

    const refunded = user.refundedFor('order_cancelled');
    await rig.publish(refunded);

    expect(await rig.settled(refunded.id)).toMatchObject({ status: 'sent' });
    expect((await told(user.chatId, user.orderId)).text.split('\n').slice(0, 2)).toEqual([
      `💸 Оплата заказа №${user.orderId} (75\u00a0XTR) возвращена на ваш баланс Telegram Stars.`,
      'Магазин отменил заказ.',
    ]);
  });
});

describe('a refund done', () => {
  it('words why in English: paid twice, or the payment came after the reservation expired', async () => {
    const twice = buyer({ languageCode: 'en' });
    const late = buyer({ languageCode: 'en' });
    await known(twice);
    await known(late);
    const events = [twice.refundedFor('already_paid'), late.refundedFor('order_expired')];

    await rig.publish(...events);

    for (const event of events) expect(await rig.settled(event.id)).toMatchObject({ status: 'sent' });
    expect((await told(twice.chatId, twice.orderId)).text.split('\n').slice(0, 2)).toEqual([
      `💸 The payment of €38.90 for order #${twice.orderId} was refunded.`,
      'The order had already been paid: this was a second payment.',
    ]);
    expect((await told(late.chatId, late.orderId)).text.split('\n')[1]).toBe(
      'The payment arrived after the reservation of the order had expired.',
    );
  });
});

describe('a payment for no order of the shop (an invoice payload it did not issue)', () => {
  /** `payment.refund_pending` as the payment service sends it for such money: no orderId. */
  const orderless = (user: Buyer, method: 'telegram' | 'stars', amountCents: number, currency: string) => {
    const paymentId = crypto.randomUUID();
    return createEvent('payment.refund_pending', {
      paymentId,
      userId: user.userId,
      amountCents,
      currency,
      method,
      reason: 'not_payable',
      telegramPaymentChargeId: `tg-${paymentId}`,
      providerPaymentChargeId: method === 'stars' ? '' : `pr-${paymentId}`,
    });
  };

  it('tells the buyer once, without an order number, and every admin what to refund for a card payment', async () => {
    const user = buyer({ languageCode: 'en' });
    await rig.publish(user.linked);
    await eventually(() => rig.recipient(user.userId));
    const pending = orderless(user, 'telegram', 1_250, 'EUR');

    await rig.publish(pending, pending, createEvent('payment.refund_pending', pending.data));

    expect(await rig.settled(pending.id)).toMatchObject({ status: 'sent' });
    await afterSentinel(rig.sentinel());
    expect(rig.telegram.callsTo(user.chatId).map((call) => call.text)).toEqual([
      '↩️ The shop will refund your payment of €12.50 to your card.\nIt was not for an order of this shop.',
    ]);
    const alertOf = (chatId: number) =>
      eventually(() => {
        const found = rig.telegram
          .callsTo(chatId)
          .filter((call) => call.text.includes(`tg-${pending.data.paymentId}`));
        expect(found).toHaveLength(1);
        return found[0]!;
      });
    const inEnglish = await alertOf(english.chatId);
    expect(inEnglish.text.split('\n').slice(0, 3)).toEqual([
      '↩️ Refund to make: a payment for no order of the shop',
      'Buyer: name unknown',
      'Amount: €12.50',
    ]);
    expect(buttonsOf(inEnglish)).toEqual([
      [{ text: '💳 Refunds to make', callback_data: adminRefundsButton.build() }],
    ]);
    expect((await alertOf(russian.chatId)).text.split('\n')[0]).toBe(
      '↩️ Нужно вернуть деньги: платёж не за заказ магазина',
    );
  });

  it('tells a Russian buyer of Stars on their way back, then refunded, and no admin', async () => {
    const user = buyer({ languageCode: 'ru' });
    await rig.publish(user.linked);
    await eventually(() => rig.recipient(user.userId));
    const pending = orderless(user, 'stars', 5, 'XTR');
    const refunded = createEvent('payment.refunded', pending.data);

    await rig.publish(pending);
    expect(await rig.settled(pending.id)).toMatchObject({ status: 'sent' });
    await rig.publish(refunded);
    expect(await rig.settled(refunded.id)).toMatchObject({ status: 'sent' });

    const texts = rig.telegram.callsTo(user.chatId).map((call) => call.text.split('\n')[0]);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/^↩️ Ваш платёж \(.+\) возвращается: звёзды уже на пути к вашему балансу\.$/);
    expect(texts[1]).toMatch(/^💸 Ваш платёж \(.+\) возвращён на ваш баланс Telegram Stars\.$/);
    await afterSentinel(rig.sentinel());
    for (const one of [english, russian])
      expect(
        rig.telegram.callsTo(one.chatId).some((call) => call.text.includes(`tg-${pending.data.paymentId}`)),
      ).toBe(false);
  });
});

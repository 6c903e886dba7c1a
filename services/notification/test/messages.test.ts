import { declineReasons } from '@shop/shared';
import { describe, expect, it } from 'vitest';
import { reorderButton } from '@shop/shared/callback-data';
import { outcomeButtons, renderOutcome, type OutcomeMessage } from '../src/domain/messages.ts';

const order: OutcomeMessage = {
  kind: 'order.paid',
  orderId: 42,
  reason: null,
  items: [
    { productId: 1, name: 'Green tea', unitPriceCents: 450, quantity: 2 },
    { productId: 2, name: 'Teapot', unitPriceCents: 2_990, quantity: 1 },
  ],
  totalCents: 3_890,
  currency: 'EUR',
  languageCode: 'en',
};
const declined = (reason: string, languageCode: string | null) =>
  renderOutcome({ ...order, kind: 'payment.failed', reason, languageCode });

describe('messages', () => {
  it('lists the order number, each item with its line total, and the total', () => {
    expect(renderOutcome(order)).toBe(
      ['✅ Order #42 is paid.', '', '• Green tea × 2 — €9.00', '• Teapot × 1 — €29.90', 'Total: €38.90'].join(
        '\n',
      ),
    );
  });

  it('writes a Russian receipt with Russian money: decimal comma, no-break space as thousands separator', () => {
    const text = renderOutcome({
      ...order,
      items: [{ productId: 3, name: 'Ноутбук', unitPriceCents: 129_900, quantity: 1 }],
      totalCents: 129_900,
      currency: 'USD',
      languageCode: 'ru-RU',
    });
    expect(text).toBe(
      [
        '✅ Заказ №42 оплачен.',
        '',
        '• Ноутбук × 1 — 1\u00a0299,00\u00a0$',
        'Итого: 1\u00a0299,00\u00a0$',
      ].join('\n'),
    );
  });

  it('says in Russian that the payment failed, and why, in a sentence', () => {
    const text = declined(declineReasons.amountLimitExceeded, 'ru');
    expect(text.split('\n').slice(0, 2)).toEqual([
      '❌ Оплата заказа №42 не прошла.',
      'Сумма превышает лимит одного платежа. Деньги не списаны.',
    ]);
    expect(text).toContain('Итого: 38,90\u00a0€');
  });

  it('says in English that the payment failed, and why, in a sentence', () => {
    expect(declined(declineReasons.amountLimitExceeded, 'en').split('\n').slice(0, 2)).toEqual([
      '❌ Payment for order #42 failed.',
      'The total is above the limit for one payment. No money was taken.',
    ]);
  });

  it('words a decline the shop has no sentence for generally, and never shows the code', () => {
    for (const [language, sentence] of [
      ['ru', 'Платёж отклонён. Деньги не списаны.'],
      ['en', 'The payment was declined. No money was taken.'],
      [null, 'The payment was declined. No money was taken.'],
    ] as const) {
      const text = declined('do_not_honor', language);
      expect(text.split('\n')[1]).toBe(sentence);
      expect(text).not.toContain('do_not_honor');
    }
  });

  it('still words a paid message recorded before order.paid existed', () => {
    expect(renderOutcome({ ...order, kind: 'payment.succeeded' })).toBe(renderOutcome(order));
  });

  it('names each cancellation reason, and lists the short lines of an out-of-stock one', () => {
    const cancelled = (reason: string, languageCode = 'en') =>
      renderOutcome({ ...order, kind: 'order.cancelled', reason, languageCode }).split('\n');
    expect(
      renderOutcome({
        ...order,
        kind: 'order.cancelled',
        reason: 'out_of_stock',
        shortages: [{ productId: 2, name: 'Teapot', requested: 3, available: 2 }],
      }).split('\n'),
    ).toEqual([
      '❌ Order #42 is cancelled: not enough in stock.',
      '• Teapot: only 2 left',
      'No money was taken.',
      '',
      '• Green tea × 2 — €9.00',
      '• Teapot × 1 — €29.90',
      'Total: €38.90',
    ]);
    expect(cancelled('expired')[0]).toBe('⌛ Order #42 is cancelled: it was not paid in time.');
    expect(cancelled('buyer')[0]).toBe('✖️ Order #42 is cancelled, as you asked.');
    expect(cancelled('merchant')).toContain('✖️ Order #42 was cancelled by the shop.');
    expect(cancelled('expired', 'ru')[0]).toBe('⌛ Заказ №42 отменён: он не был оплачен вовремя.');
    expect(cancelled('merchant', 'ru')[0]).toBe('✖️ Заказ №42 отменён магазином.');
  });

  it('says an order is shipped, with the tracking note, and delivered, in English and Russian', () => {
    const said = (kind: 'order.shipped' | 'order.delivered', languageCode: string, note?: string) =>
      renderOutcome({ ...order, kind, languageCode, note: note ?? null }).split('\n');
    expect(said('order.shipped', 'en', 'DHL 123')).toEqual([
      '📦 Order #42 is on its way.',
      'Tracking: DHL 123',
      '',
      '• Green tea × 2 — €9.00',
      '• Teapot × 1 — €29.90',
      'Total: €38.90',
    ]);
    expect(said('order.shipped', 'en')[1]).toBe('');
    expect(said('order.shipped', 'ru', 'СДЭК 1234').slice(0, 2)).toEqual([
      '📦 Заказ №42 отправлен.',
      'Отслеживание: СДЭК 1234',
    ]);
    expect(said('order.delivered', 'en')[0]).toBe('🎉 Order #42 is delivered. Thank you for your purchase!');
    expect(said('order.delivered', 'ru')[0]).toBe('🎉 Заказ №42 доставлен. Спасибо за покупку!');
  });

  it("gives the shop's reason for cancelling, and says a paid order is being refunded", () => {
    const byShop = (languageCode: string, note: string | null, wasPaid: boolean) =>
      renderOutcome({
        ...order,
        kind: 'order.cancelled',
        reason: 'merchant',
        languageCode,
        note,
        wasPaid,
      }).split('\n');
    expect(byShop('en', 'Out of this colour', true).slice(0, 4)).toEqual([
      '✖️ Order #42 was cancelled by the shop.',
      'Reason: Out of this colour',
      'The payment will be refunded.',
      '',
    ]);
    expect(byShop('ru', 'Нет этого цвета', true).slice(0, 3)).toEqual([
      '✖️ Заказ №42 отменён магазином.',
      'Причина: Нет этого цвета',
      'Оплата будет возвращена.',
    ]);
    expect(byShop('en', null, false).slice(0, 2)).toEqual(['✖️ Order #42 was cancelled by the shop.', '']);
    // A buyer's own words are not news to them.
    expect(
      renderOutcome({ ...order, kind: 'order.cancelled', reason: 'buyer', note: 'changed my mind' }),
    ).not.toContain('changed my mind');
  });

  it('tells how much was refunded, in the buyer’s money', () => {
    expect(renderOutcome({ ...order, kind: 'payment.refunded' }).split('\n')[0]).toBe(
      '💸 The payment of €38.90 for order #42 was refunded.',
    );
    expect(renderOutcome({ ...order, kind: 'payment.refunded', languageCode: 'ru' }).split('\n')[0]).toBe(
      '💸 Оплата заказа №42 (38,90\u00a0€) возвращена.',
    );
  });

  it('tells what a refund gives back (the payment, not the order total), how and why', () => {
    const refund = (kind: 'payment.refund_pending' | 'payment.refunded', extra: Partial<OutcomeMessage>) =>
      renderOutcome({ ...order, kind, ...extra })
        .split('\n')
        .slice(0, 2);
    expect(
      refund('payment.refund_pending', {
        method: 'telegram',
        reason: 'already_paid',
        refund: { cents: 1_000, currency: 'EUR' },
      }),
    ).toEqual([
      '↩️ The shop will refund €10.00 for order #42 to your card.',
      'The order had already been paid: this was a second payment.',
    ]);
    expect(
      refund('payment.refund_pending', { method: 'simulated', reason: null, languageCode: 'ru' }),
    ).toEqual(['↩️ Оплата заказа №42 (38,90\u00a0€) будет возвращена.', '']);
    expect(
      refund('payment.refunded', {
        method: 'stars',
        reason: 'not_payable',
        refund: { cents: 75, currency: 'XTR' },
        languageCode: 'en',
      }),
    ).toEqual([
      '💸 The payment of XTR\u00a075 for order #42 was refunded to your Telegram Stars balance.',
      'The order could not take this payment.',
    ]);
    // A reason this shop does not know is not shown as a code.
    expect(refund('payment.refunded', { reason: 'some_new_reason' })[1]).toBe('');
  });

  it('offers Order again under an order cancelled because it was not paid in time, and only there', () => {
    const expired = { ...order, kind: 'order.cancelled', reason: 'expired' } as const;
    expect(outcomeButtons(expired)).toEqual({
      inline_keyboard: [[{ text: '🔁 Order again', callback_data: reorderButton.build({ order: 42 }) }]],
    });
    expect(outcomeButtons({ ...expired, languageCode: 'ru' })?.inline_keyboard[0]?.[0]?.text).toBe(
      '🔁 Заказать снова',
    );
    expect(outcomeButtons({ ...expired, reason: 'buyer' })).toBeUndefined();
    expect(outcomeButtons(order)).toBeUndefined();
    expect(renderOutcome({ ...expired, invoiceSent: true }).split('\n')[0]).toBe(
      '⌛ The invoice for order #42 expired: it was not paid in time.',
    );
  });

  it('stays within Telegram’s 4096 characters', () => {
    const items = Array.from({ length: 20 }, (_, index) => ({
      productId: index + 1,
      name: 'x'.repeat(1_000),
      unitPriceCents: 1,
      quantity: 1,
    }));
    const text = renderOutcome({ ...order, items });
    expect(text.length).toBeLessThanOrEqual(4_096);
    expect(text).toContain('Total: €38.90');
  });
});

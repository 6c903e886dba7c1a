import { describe, expect, it } from 'vitest';
import { formatMoney, languageOf, renderOutcome, type OutcomeMessage } from '../src/domain/messages.ts';

const order: OutcomeMessage = {
  kind: 'payment.succeeded',
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

describe('messages', () => {
  it('formats minor units with the currency’s own digits', () => {
    expect(formatMoney(1_250, 'EUR', 'en-US')).toBe('€12.50');
    expect(formatMoney(1_250, 'EUR', 'ru-RU')).toBe('12,50\u00a0€');
    expect(formatMoney(123_456, 'RUB', 'ru-RU')).toBe('1\u00a0234,56\u00a0₽');
    expect(formatMoney(500, 'JPY', 'en-US')).toBe('¥500');
  });

  it('speaks Russian to ru (any region) and English to everyone else', () => {
    expect(languageOf('ru')).toBe('ru');
    expect(languageOf('ru-RU')).toBe('ru');
    expect(languageOf('uk')).toBe('en');
    expect(languageOf(null)).toBe('en');
  });

  it('lists the order number, each item with its line total, and the total', () => {
    expect(renderOutcome(order)).toBe(
      ['✅ Order #42 is paid.', '', '• Green tea × 2 — €9.00', '• Teapot × 1 — €29.90', 'Total: €38.90'].join(
        '\n',
      ),
    );
  });

  it('says in Russian that the payment failed, and why', () => {
    const text = renderOutcome({
      ...order,
      kind: 'payment.failed',
      reason: 'card declined',
      languageCode: 'ru',
    });
    expect(text.split('\n').slice(0, 2)).toEqual([
      '❌ Оплата заказа №42 не прошла.',
      'Причина: card declined',
    ]);
    expect(text).toContain('Итого: 38,90\u00a0€');
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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminStatsButton } from '../src/admin/buttons.ts';
import { createChat, textsOf } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { buyersOf } from './support/merchant-orders.ts';

// A shop of its own: the figures count every order in it, and these are all there are.
let h: Harness;
beforeAll(async () => {
  h = await startHarness('admin_stats');
  const buyers = buyersOf(h.shop);
  await buyers.paidOrder([{ productId: 1, quantity: 2 }]); // Coffee 1: 2 × $10.50
  await buyers.paidOrder([{ productId: 2, quantity: 1 }]); // Coffee 2: $11.00
  // Paid, then cancelled by the shop: refunded, so neither revenue nor a buyer.
  const refunded = await buyers.paidOrder([{ productId: 1, quantity: 1 }]);
  expect((await buyers.cancel(refunded.id)).status).toBe(200);
});
afterAll(() => h.close());

const merchant = (language: 'en' | 'ru') =>
  createChat(h.telegram, () => h.bot, language, { userId: h.shop.adminTelegramId });

// Every order was placed just now: today, the last 7 and the last 30 days count the same ones.
const period = (title: string) =>
  [
    title,
    'Orders: 3, paid: 2',
    'Revenue: $32.00',
    'Buyers: 2, new: 2',
    'By status: ✅ paid 2 · ✖️ cancelled 1',
  ].join('\n');

describe('/stats', () => {
  it("shows an admin the shop's figures today, in the last 7 and 30 days, and the top products", async () => {
    const admin = merchant('en');
    const [stats] = textsOf(await admin.send('/stats'));
    expect(stats).toBe(
      [
        '📊 Shop statistics. Days are counted in UTC, by when an order was placed; revenue is what paid orders brought in (refunded ones not).',
        period('Today'),
        period('Last 7 days'),
        period('Last 30 days'),
        [
          '🏆 Top products, last 30 days',
          'By units sold:',
          '1. Coffee 1 — 2 pcs, $21.00',
          '2. Coffee 2 — 1 pc, $11.00',
          'By revenue:',
          '1. Coffee 1 — 2 pcs, $21.00',
          '2. Coffee 2 — 1 pc, $11.00',
        ].join('\n'),
      ].join('\n\n'),
    );
    expect(admin.lastButtons().map((b) => b.text)).toEqual(['🔄 Refresh', '⬅️ Back']);
  });

  it('speaks Russian, money written as in Russian, and opens from the /admin menu', async () => {
    const admin = merchant('ru');
    await admin.send('/admin');
    const [stats] = textsOf(await admin.tap(adminStatsButton.build()));
    expect(stats).toContain(
      [
        'Сегодня',
        'Заказов: 3, оплачено: 2',
        'Выручка: 32,00\u00a0$',
        'Покупателей: 2, новых: 2',
        'По статусам: ✅ оплачен 2 · ✖️ отменён 1',
      ].join('\n'),
    );
    expect(stats).toContain(
      '🏆 Лучшие товары за 30 дней\nПо числу проданных:\n1. Coffee 1 — 2 шт., 21,00\u00a0$',
    );
    expect(stats).toMatch(/^📊 Статистика магазина\. Дни считаются по UTC/);
  });
});

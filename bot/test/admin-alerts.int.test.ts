import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOrdersButton } from '../src/admin/buttons.ts';
import { adminOrderButton } from '../src/buttons.ts';
import { answerOf, createChat, textsOf } from './support/chat.ts';
import { DELIVERY } from './support/checkout.ts';
import { startHarness, type Harness } from './support/harness.ts';

let h: Harness;
let orderId: number;

beforeAll(async () => {
  h = await startHarness('admin_alerts');
  // A buyer's order of two green teas (product 8), with delivery details.
  const buyer = await h.shop.signUp('buyer');
  const res = await h.shop.apps.order.request('/orders', {
    method: 'POST',
    headers: { Authorization: `Bearer ${buyer.accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ items: [{ productId: 8, quantity: 2 }], delivery: DELIVERY }),
  });
  expect(res.status).toBe(201);
  orderId = ((await res.json()) as { id: number }).id;
});
afterAll(() => h.close());

// The alert itself is notification's message: the bot never sent it, so a press names its id.
const ALERT_MESSAGE_ID = 7;

describe("Open order under an admin's alert", () => {
  it("shows an admin the order's card as a new message: lines, total, delivery and history, in their language", async () => {
    const admin = createChat(h.telegram, () => h.bot, 'ru', { userId: h.shop.adminTelegramId });

    const calls = await admin.tap(adminOrderButton.build({ order: orderId }), ALERT_MESSAGE_ID);

    expect(calls.filter((call) => call.method === 'editMessageText')).toEqual([]);
    const [card] = textsOf(calls.filter((call) => call.method === 'sendMessage'));
    expect(card?.split('\n')[0]).toMatch(new RegExp(`^📦 Заказ №${orderId} — `));
    expect(card).toContain('• Green tea × 2 — ');
    expect(card).toContain(`🚚 Куда доставить:\n${DELIVERY.name}\n${DELIVERY.phone}\n${DELIVERY.address}`);
    expect(card).toContain('🕓 История (UTC):');
    // The merchant's own card: its Back button leads to the orders to ship.
    expect(admin.lastButtons().at(-1)).toEqual({
      text: '⬅️ Назад',
      callback_data: adminOrdersButton.build({ tab: 'paid', page: 1 }),
    });
  });

  it('gives anyone else pressing the same (forged) button nothing of the order', async () => {
    const someone = createChat(h.telegram, () => h.bot, 'en');

    const calls = await someone.tap(adminOrderButton.build({ order: orderId }), ALERT_MESSAGE_ID);

    expect(answerOf(calls)).toBe('This button belongs to an older message and no longer works.');
    expect(calls.filter((call) => call.method !== 'answerCallbackQuery')).toEqual([]);
    expect(JSON.stringify(calls)).not.toContain(DELIVERY.address);
  });

  it('says an order that does not exist was not found', async () => {
    const admin = createChat(h.telegram, () => h.bot, 'en', { userId: h.shop.adminTelegramId });

    const calls = await admin.tap(adminOrderButton.build({ order: 999_999_999_999 }), ALERT_MESSAGE_ID);

    expect(answerOf(calls)).toBe('That order was not found.');
  });
});

import { eventually, uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf, createChat, textsOf } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { button } from './support/buttons.ts';
import { confirmOf, typeDelivery } from './support/checkout.ts';

let h: Harness;
beforeAll(async () => {
  // The simulated provider declines totals above $11.00: the list shows both outcomes.
  h = await startHarness('orders', { paymentEnv: { PAYMENT_DECLINE_ABOVE_CENTS: '1100' } });
});
afterAll(() => h.close());

async function signedIn(lang: 'en' | 'ru') {
  const anna = createChat(h.telegram, () => h.bot, lang);
  const email = uniqueEmail('orders');
  await h.deps.auth.register(email, 'a good password');
  await anna.send('/login');
  await anna.send(email);
  await anna.send('a good password');
  return anna;
}

async function buy(anna: Awaited<ReturnType<typeof signedIn>>, productId: number, category: number) {
  await anna.send('/catalog');
  await anna.tap(button.category(category, 1));
  await anna.tap(button.product(productId, category, 1));
  const started = await anna.tap(button.buy(productId, 1));
  // Delivery details are asked at the first checkout only.
  if (textsOf(started).at(-1)?.startsWith('🚚')) await typeDelivery(anna);
  const placed = await anna.tap(confirmOf(anna));
  return Number(/[#№](\d+)/.exec(textsOf(placed)[0]!)![1]);
}

describe('/orders', () => {
  it('lists orders newest first, pages them and shows one with items and payment status (English)', async () => {
    const anna = await signedIn('en');
    expect(textsOf(await anna.send('/orders'))).toEqual(['You have no orders yet.']);
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++) ids.push(await buy(anna, i, 1));
    ids.push(await buy(anna, 8, 2));
    // The catalog reserves each order, payment charges it and order hears back, through RabbitMQ.
    await eventually(async () =>
      expect(
        [...(await h.shop.orderStatuses(ids)).values()].every((s) => s === 'paid' || s === 'payment_failed'),
      ).toBe(true),
    );
    expect(textsOf(await anna.send('/orders'))).toEqual(['📦 Your orders, newest first:\nPage 1 of 2']);
    expect(anna.lastButtons().map((b) => b.text)).toEqual([
      `#${ids[5]} · ✅ paid · $4.50`,
      `#${ids[4]} · ❌ payment failed · $12.50`,
      `#${ids[3]} · ❌ payment failed · $12.00`,
      `#${ids[2]} · ❌ payment failed · $11.50`,
      `#${ids[1]} · ✅ paid · $11.00`,
      'Next ▶️',
    ]);
    await anna.tap(button.orders(2));
    expect(anna.lastButtons().map((b) => b.text)).toEqual([`#${ids[0]} · ✅ paid · $10.50`, '◀️ Previous']);
    expect(textsOf(await anna.tap(button.order(ids[0]!, 2)))).toEqual([
      `Order #${ids[0]} — ✅ paid\n• Coffee 1 × 1 — $10.50\nTotal: $10.50\nPayment: succeeded`,
    ]);
    expect(textsOf(await anna.tap(button.orders(2)))[0]).toContain('Page 2 of 2');
    await anna.tap(button.orders(1));
    expect(textsOf(await anna.tap(button.order(ids[4]!, 1)))[0]).toMatch(
      /❌ payment failed[^]*Payment: failed$/,
    );
  });

  // Item names are the order service's snapshot, taken in the buyer's language.
  it('shows an order in Russian, and says when the payment service is down', async () => {
    const anna = await signedIn('ru');
    const id = await buy(anna, 8, 2);
    await eventually(async () => expect((await h.shop.orderStatuses([id])).get(id)).toBe('paid'));
    await anna.send('/orders');
    await h.shop.whileDown('payment', async () => {
      expect(textsOf(await anna.tap(button.order(id, 1)))).toEqual([
        `Заказ №${id} — ✅ оплачен\n• Зелёный чай × 1 — 4,50\u00a0$\nИтого: 4,50\u00a0$\nОплата: сейчас неизвестна (сервис оплаты не отвечает)`,
      ]);
    });
  });

  it("shows the shop's shipping with its tracking note, then the delivery, in the buyer's language", async () => {
    const anna = await signedIn('ru');
    const id = await buy(anna, 8, 2);
    await eventually(async () => expect((await h.shop.orderStatuses([id])).get(id)).toBe('paid'));
    const admin = async (path: string, body?: unknown) => {
      const res = await fetch(new URL(path, h.shop.urls.order), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await h.auth.adminToken()}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    };
    await admin(`/orders/${id}/ship`, { trackingNote: 'DHL 00340434' });
    await anna.send('/orders');
    expect(textsOf(await anna.tap(button.order(id, 1)))[0]).toBe(
      `Заказ №${id} — 🚚 отправлен\nОтслеживание: DHL 00340434\n• Зелёный чай × 1 — 4,50\u00a0$\nИтого: 4,50\u00a0$\nОплата: прошла`,
    );
    await admin(`/orders/${id}/deliver`);
    expect(anna.lastButtons().map((b) => b.text)).toEqual(['⬅️ Назад']);
    expect(textsOf(await anna.tap(button.order(id, 1)))[0]).toMatch(
      new RegExp(`^Заказ №${id} — 📦 доставлен\\nОтслеживание: DHL 00340434\\n`),
    );
  });

  it('says the order service is down with a Retry, and handles an order that is not yours', async () => {
    const anna = await signedIn('en');
    await h.shop.whileDown('order', async () => {
      expect(textsOf(await anna.send('/orders'))).toEqual([
        '😕 The order service is not answering right now. Please try again in a moment.',
      ]);
    });
    expect(textsOf(await anna.tap(button.orders(1)))).toEqual(['You have no orders yet.']);
    expect(answerOf(await anna.tap(button.order(999999, 1), 1))).toBe('That order was not found.');
  });
});

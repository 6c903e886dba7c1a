import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { answerOf, buttonsOf, createChat, textsOf, type Chat } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { button } from './support/buttons.ts';
import { confirmOf, DELIVERY, deliveredTo, tagOf, typeDelivery } from './support/checkout.ts';

let h: Harness;
beforeAll(async () => {
  // Checkout is about the conversation: every payment is declined, so no paid order takes stock
  // away and each test sees the fixture's stock whatever ran before it.
  h = await startHarness('checkout', { paymentEnv: { PAYMENT_DECLINE_ABOVE_CENTS: '0' } });
});
afterAll(() => h.close());

/** A new user, who never registered, looking at the card of product `id` (category `category`). */
async function atProduct(lang: 'en' | 'ru', id = 8, category = 2): Promise<Chat> {
  const anna = createChat(h.telegram, () => h.bot, lang);
  await anna.send('/start');
  await anna.send('/catalog');
  await anna.tap(button.category(category, 1));
  await anna.tap(button.product(id, category, 1));
  return anna;
}

/** Anna's orders as the order service has them. */
const ordersOf = (anna: Chat) => h.deps.signIns.withToken(anna.id, (token) => h.deps.orders.list(token));

/** The delivery details the order service keeps for one of Anna's orders. */
async function deliveryOf(anna: Chat, orderId: number | string) {
  const res = await h.deps.signIns.withToken(anna.id, async (token) =>
    h.shop.apps.order.request(`/orders/${orderId}`, { headers: { Authorization: `Bearer ${token}` } }),
  );
  return ((await res.json()) as { delivery?: unknown }).delivery;
}

const placedNumber = (calls: Parameters<typeof textsOf>[0]) =>
  Number(/[#№](\d+)/.exec(textsOf(calls)[0] ?? '')?.[1]);

const summary = (lines: string, total: string, delivery = DELIVERY) =>
  `Your order:\n${lines}\n${deliveredTo(delivery)}\nTotal: ${total}\nConfirm?`;

describe('Buy now', () => {
  it('buys the quantity chosen on the card, asks for delivery details the first time, and confirms once when Confirm is tapped twice (English)', async () => {
    const anna = await atProduct('en');
    expect(anna.lastButtons().map((b) => b.text)).toEqual([
      '➖',
      '1',
      '➕',
      '🛒 Add to cart',
      '⚡ Buy now',
      '⬅️ Back',
      '🛒 Cart',
    ]);
    const zero = await anna.tap(button.card(8, 0, 2));
    expect(answerOf(zero)).toBe('The quantity must be at least 1.');
    expect(zero.map((c) => c.method)).toEqual(['answerCallbackQuery']);
    expect(anna.lastButtons()[1]!.text).toBe('1');
    await anna.tap(button.card(8, 2, 2));
    expect(anna.lastButtons()[1]!.text).toBe('2');
    await anna.tap(button.card(8, 3, 2));
    expect(answerOf(await anna.tap(button.card(8, 4, 2)))).toBe('Only 3 in stock: please choose at most 3.');
    expect(anna.lastButtons()[1]!.text).toBe('3');

    expect(textsOf(await anna.tap(button.buy(8, 3)))).toEqual([
      "🚚 Where should we deliver your order? First, the recipient's name. (/cancel to stop)",
    ]);
    const phone = await anna.send(DELIVERY.name);
    expect(textsOf(phone)).toEqual([
      '📱 A phone number for the courier: press the button below to share yours, or type it, like +7 999 123-45-67.',
    ]);
    expect(phone[0]!.payload.reply_markup).toMatchObject({
      keyboard: [[{ text: '📱 Share my phone number', request_contact: true }]],
      one_time_keyboard: true,
    });
    const address = await anna.send(DELIVERY.phone);
    expect(textsOf(address)).toEqual(['🏠 And the delivery address: city, street, house, flat?']);
    expect(address[0]!.payload.reply_markup).toEqual({ remove_keyboard: true });
    expect(textsOf(await anna.send(DELIVERY.address))).toEqual([
      summary('• Green tea × 3 ($4.50 each) — $13.50', '$13.50'),
    ]);
    const tag = tagOf(anna);
    const confirm = confirmOf(anna);
    expect(confirm).toBe(button.confirm(tag, 1350));
    expect(anna.lastButtons().map((b) => b.text)).toEqual([
      '✅ Confirm',
      '✖️ Cancel',
      '✏️ Change delivery details',
    ]);
    const summaryId = anna.messageWith(confirm);
    const confirmed = await anna.tap(confirm);
    expect(textsOf(confirmed)).toEqual([
      '✅ Order #1 placed, total $13.50. I am reserving the items now. If the shop takes payment in Telegram, an invoice with a Pay button follows in this chat; otherwise the payment is taken at once. I will message you as soon as the order is paid, or if it cannot be.',
    ]);
    const again = await anna.tap(confirm, summaryId);
    expect(answerOf(again)).toBe('This checkout is already finished.');
    expect(
      h.shop.orderRequests.filter((r) => r.method === 'POST' && r.idempotencyKey?.startsWith(tag)),
    ).toHaveLength(1);
    expect(await deliveryOf(anna, placedNumber(confirmed))).toEqual(DELIVERY);
  });

  it('remembers the delivery details for the next checkout, where they can be changed from the summary (Russian)', async () => {
    const anna = await atProduct('ru', 3, 1);
    await anna.tap(button.buy(3, 1));
    await typeDelivery(anna);
    const first = await anna.tap(confirmOf(anna));
    expect(await deliveryOf(anna, placedNumber(first))).toEqual(DELIVERY);

    // The next checkout goes straight to the summary, with the details used last.
    const second = await anna.tap(button.buy(3, 2), anna.messageWith(button.buy(3, 1)));
    expect(textsOf(second)).toEqual([
      'Ваш заказ:\n• Кофе 3 × 2 (по 11,50\u00a0$) — 23,00\u00a0$\n' +
        `Доставка: ${DELIVERY.name}, ${DELIVERY.phone}\n${DELIVERY.address}\n` +
        'Итого: 23,00\u00a0$\nПодтверждаете?',
    ]);
    const tag = tagOf(anna);
    const oldConfirm = confirmOf(anna);
    const oldSummary = anna.messageWith(oldConfirm);
    const change = await anna.tap(button.changeDelivery(tag));
    // The old summary keeps its text but loses its buttons; the questions follow.
    expect(change.find((c) => c.method === 'editMessageText')?.payload.message_id).toBe(oldSummary);
    expect(buttonsOf(change.find((c) => c.method === 'editMessageText'))).toEqual([]);
    expect(textsOf(change).at(-1)).toBe(
      '🚚 Куда доставить заказ? Сначала имя получателя. (/cancel — прервать)',
    );
    const moved = { name: 'Анна Петрова', phone: '8 812 555-01-02', address: 'Литейный проспект 10' };
    const newSummary = await typeDelivery(anna, moved);
    expect(textsOf(newSummary)[0]).toContain(`Доставка: ${moved.name}, ${moved.phone}\n${moved.address}`);

    // A Confirm on the summary with the old details is no longer one.
    expect(answerOf(await anna.tap(oldConfirm, oldSummary))).toBe(
      'Эта кнопка из старого сообщения и больше не работает.',
    );
    const placed = await anna.tap(confirmOf(anna));
    expect(textsOf(placed)[0]).toMatch(/^✅ Заказ №\d+ оформлен, сумма 23,00\u00a0\$/);
    expect(await deliveryOf(anna, placedNumber(placed))).toEqual(moved);
  });

  it("takes the phone from the user's own shared contact and refuses someone else's", async () => {
    const anna = await atProduct('en');
    await anna.tap(button.buy(8, 1));
    await anna.send(DELIVERY.name);
    expect(textsOf(await anna.contact('+44 7700 900123', anna.id + 1))).toEqual([
      "That is someone else's contact. Please share your own number with the button below, or type the number.",
    ]);
    expect(textsOf(await anna.contact('79991234567'))).toEqual([
      '🏠 And the delivery address: city, street, house, flat?',
    ]);
    const summaryCalls = await anna.send(DELIVERY.address);
    expect(textsOf(summaryCalls)[0]).toContain(`Deliver to: ${DELIVERY.name}, +79991234567\n`);
    const placed = await anna.tap(confirmOf(anna));
    expect(await deliveryOf(anna, placedNumber(placed))).toEqual({ ...DELIVERY, phone: '+79991234567' });
  });

  it('says what is wrong with a name, a phone or an address until they are right', async () => {
    const anna = await atProduct('en');
    await anna.tap(button.buy(8, 1));
    expect(textsOf(await anna.send('n'.repeat(101)))).toEqual(['Please send a name of 1 to 100 characters.']);
    expect(textsOf(await anna.sticker())).toEqual(['Please send that as a text message.']);
    await anna.send(`  ${DELIVERY.name}  `);
    const notAPhone =
      'That does not look like a phone number. Type it with 7 to 15 digits, like +7 999 123-45-67, or press the button below to share yours.';
    for (const phone of ['not a phone', '12-34-56', '+1234567890123456'])
      expect(textsOf(await anna.send(phone)), phone).toEqual([notAPhone]);
    expect(textsOf(await anna.sticker())).toEqual([notAPhone]);
    await anna.send(DELIVERY.phone);
    expect(textsOf(await anna.send('a'.repeat(501)))).toEqual([
      'Please send an address of 1 to 500 characters.',
    ]);
    expect(textsOf(await anna.send(DELIVERY.address))[0]).toContain(deliveredTo());
  });

  it('goes on after a ➕ press replayed by a restarted bot, whose edit Telegram already shows', async () => {
    // Coffee 5, which no other test here buys: what can be bought of it stays 5 (Green tea's 3 go
    // down while another test's order holds them, and ➕ stops at what can be bought).
    const anna = await atProduct('en', 5, 1);
    // The bot died after its edit to "2" went out but before the update was done: the replayed
    // press makes the same edit, which Telegram refuses as changing nothing.
    await anna.tap(button.card(5, 2, 1));
    h.telegram.failures.set('editMessageText', {
      error_code: 400,
      description:
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    });
    expect(answerOf(await anna.tap(button.card(5, 2, 1)))).toBeUndefined();
    await anna.tap(button.card(5, 3, 1));
    expect(anna.lastButtons()[1]!.text).toBe('3');
  });

  it('keeps the summary when the order service is down and retries with the same Idempotency-Key', async () => {
    const anna = await atProduct('en');
    await anna.tap(button.buy(8, 1));
    await typeDelivery(anna);
    const tag = tagOf(anna);
    const confirm = confirmOf(anna);
    // Watches the bot's own outbound calls: attempts at a closed port never reach the service.
    const sent = vi.spyOn(globalThis, 'fetch');
    const calls: Parameters<typeof fetch>[] = [];
    try {
      await h.shop.whileDown('order', async () => {
        const down = await anna.tap(confirm);
        expect(textsOf(down)[0]).toContain('The order service is not answering right now. Tap Confirm again');
        await anna.tap(confirm);
      });
      expect(textsOf(await anna.tap(confirm))[0]).toMatch(/^✅ Order #\d+ placed/);
    } finally {
      calls.push(...sent.mock.calls);
      sent.mockRestore();
    }
    const keys = calls
      .map(([input, init]) => ({
        url: input instanceof Request ? input.url : input.toString(),
        method: init?.method,
        key: new Headers(init?.headers).get('Idempotency-Key'),
      }))
      .filter((r) => r.url.startsWith(h.shop.urls.order) && r.method === 'POST' && r.key?.startsWith(tag));
    expect(keys).toHaveLength(3);
    expect(new Set(keys.map((r) => r.key)).size).toBe(1);
    expect(
      h.shop.orderRequests.filter((r) => r.method === 'POST' && r.idempotencyKey === keys[0]!.key),
    ).toHaveLength(1);
  });

  it('cancels from the summary, with /cancel at each question, and on a command', async () => {
    const anna = await atProduct('en');
    await anna.tap(button.buy(8, 1));
    expect(textsOf(await anna.send('/cancel'))).toEqual(['Cancelled. What next?']);
    await anna.tap(button.buy(8, 1), anna.messageWith(button.buy(8, 1)));
    await anna.send(DELIVERY.name);
    expect(textsOf(await anna.send('/cancel'))).toEqual(['Cancelled. What next?']);
    await anna.tap(button.buy(8, 1), anna.messageWith(button.buy(8, 1)));
    await typeDelivery(anna);
    expect(textsOf(await anna.tap(button.cancel(tagOf(anna))))).toEqual([
      'Checkout cancelled: nothing was ordered.',
    ]);
    await anna.tap(button.buy(8, 1), anna.messageWith(button.buy(8, 1)));
    expect(textsOf(await anna.send('/orders'))[0]).toBe('🛒 I stopped the checkout: nothing was ordered.');
    expect(await ordersOf(anna)).toEqual([]);
  });

  it('shows the new price when it changed between the summary and Confirm, and places the order only at a total the buyer confirmed', async () => {
    const anna = await atProduct('en');
    await anna.tap(button.buy(8, 1));
    await typeDelivery(anna);
    const seen = confirmOf(anna);
    const summaryId = anna.messageWith(seen);
    await h.shop.setPrice(8, 500);
    try {
      const refused = await anna.tap(seen);
      expect(textsOf(refused)).toEqual([
        '⚠️ Prices have changed: Green tea $4.50 → $5.00. Nothing was ordered yet: please check the new total.\n\n' +
          summary('• Green tea × 1 ($5.00 each) — $5.00', '$5.00'),
      ]);
      expect(await ordersOf(anna)).toEqual([]);
      // A second press of the old Confirm, sent before the new total reached the buyer.
      expect(answerOf(await anna.tap(seen, summaryId))).toBe(
        'The price has changed: please check the new total and confirm again.',
      );
      expect(await ordersOf(anna)).toEqual([]);

      const confirmed = await anna.tap(confirmOf(anna));
      expect(textsOf(confirmed)[0]).toMatch(/^✅ Order #\d+ placed, total \$5\.00\./);
      expect((await ordersOf(anna)).map((order) => order.totalCents)).toEqual([500]);
    } finally {
      await h.shop.setPrice(8, 450);
    }
  });

  it('leaves the checkout for any menu button, saying so, and does what the button says', async () => {
    const anna = await atProduct('en');
    await anna.tap(button.buy(8, 1));
    await typeDelivery(anna);
    const tag = tagOf(anna);
    const leftIt = '🛒 I stopped the checkout: nothing was ordered.';

    const orders = await anna.tap(button.orders(1), anna.messageWith(button.orders(1)));
    expect(answerOf(orders)).toBeUndefined();
    expect(textsOf(orders)).toEqual([leftIt, 'You have no orders yet.']);
    expect(answerOf(await anna.tap(button.cancel(tag)))).toBe('This checkout is already finished.');

    await anna.tap(button.buy(8, 1), anna.messageWith(button.buy(8, 1)));
    expect(textsOf(await anna.tap(button.category(2, 1), anna.messageWith(button.category(2, 1))))).toEqual([
      leftIt,
      '🛍 Products\nPage 1 of 1',
    ]);

    await anna.tap(button.product(8, 2, 1));
    await anna.tap(button.buy(8, 1));
    expect(textsOf(await anna.tap(button.cart))).toEqual([
      leftIt,
      '🛒 Your cart is empty. Add products from the catalog.',
    ]);
    await anna.tap(button.buy(8, 1), anna.messageWith(button.buy(8, 1)));
    expect(textsOf(await anna.tap(button.register, anna.messageWith(button.register)))).toEqual([
      leftIt,
      expect.stringContaining('So far you shop with your Telegram account alone.'),
      "Let's create your account. What is your e-mail? (/cancel to stop)",
    ]);
    await anna.send('/cancel');
  });

  it('says a product deleted meanwhile is gone, and how many are left when fewer than chosen', async () => {
    const anna = await atProduct('en', 4, 1);
    await h.shop.deleteProduct(4);
    try {
      expect(textsOf(await anna.tap(button.buy(4, 1)))).toEqual(['That product is no longer available.']);
    } finally {
      await h.shop.restoreProducts();
    }
    // A Buy now for more than is left (the card was shown when there were more).
    const card = anna.messageWith(button.buy(4, 1));
    expect(textsOf(await anna.tap(button.buy(4, 6), card))).toEqual([
      'Only 5 in stock: please choose at most 5.',
    ]);
  });
});

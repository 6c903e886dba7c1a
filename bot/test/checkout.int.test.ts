import { uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { answerOf, buttonsOf, createChat, textsOf, type Chat } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { button, checkoutTagOf, isConfirm } from './support/buttons.ts';

let h: Harness;
beforeAll(async () => {
  // Checkout is about the conversation: every payment is declined, so no paid order takes stock
  // away and each test sees the fixture's stock whatever ran before it.
  h = await startHarness('checkout', { paymentEnv: { PAYMENT_DECLINE_ABOVE_CENTS: '0' } });
});
afterAll(() => h.close());

/** A signed-in user looking at the card of product `id` (category `category`). */
async function atProduct(lang: 'en' | 'ru', id = 8, category = 2): Promise<Chat> {
  const anna = createChat(h.telegram, () => h.bot, lang);
  const email = uniqueEmail('buyer');
  await anna.send('/register');
  await anna.send(email);
  expect(textsOf(await anna.send('a good password'))[0]).toContain(email);
  await anna.send('/catalog');
  await anna.tap(button.category(category, 1));
  await anna.tap(button.product(id, category, 1));
  return anna;
}

/** Anna's orders as the order service has them. */
const ordersOf = (anna: Chat) => h.deps.signIns.withToken(anna.id, (token) => h.deps.orders.list(token));

const tagOf = (anna: Chat) => checkoutTagOf(anna.lastButtons()[0]!.callback_data);
/** The data of the Confirm button under the latest summary. */
const confirmOf = (anna: Chat) => anna.lastButtons().find((b) => isConfirm(b.callback_data))!.callback_data;

describe('checkout', () => {
  it('orders with +/- buttons, confirms once even when Confirm is tapped twice (English)', async () => {
    const anna = await atProduct('en');
    const started = await anna.tap(button.buy(8));
    expect(textsOf(started)).toEqual([
      'Green tea — $4.50\nIn stock: 3\nHow many? Use ➖ ➕ or type a number. Quantity: 1',
    ]);
    const tag = tagOf(anna);
    expect(answerOf(await anna.tap(button.minus(tag)))).toBe('The quantity must be at least 1.');
    expect(textsOf(await anna.tap(button.plus(tag)))[0]).toContain('Quantity: 2');
    await anna.tap(button.plus(tag));
    expect(answerOf(await anna.tap(button.plus(tag)))).toBe('Only 3 in stock: please choose at most 3.');
    expect(textsOf(await anna.tap(button.continue(tag)))).toEqual([
      'Your order:\nGreen tea × 3 ($4.50 each)\nTotal: $13.50\nConfirm?',
    ]);
    const confirm = confirmOf(anna);
    expect(confirm).toBe(button.confirm(tag, 1350));
    const summaryId = anna.messageWith(confirm);
    const confirmed = await anna.tap(confirm);
    expect(textsOf(confirmed)).toEqual([
      '✅ Order #1 placed, total $13.50. I am reserving the items, then the payment is taken; I will message you as soon as it is paid, or if it cannot be.',
    ]);
    const again = await anna.tap(confirm, summaryId);
    expect(answerOf(again)).toBe('This checkout is already finished.');
    expect(
      h.shop.orderRequests.filter((r) => r.method === 'POST' && r.idempotencyKey?.startsWith(tag)),
    ).toHaveLength(1);
  });

  it('goes on after a ➕ press replayed by a restarted bot, whose edit Telegram already shows', async () => {
    const anna = await atProduct('en');
    await anna.tap(button.buy(8));
    const tag = tagOf(anna);
    // The bot died after its edit to "Quantity: 2" went out but before the step was saved: the
    // replayed press makes the same edit, which Telegram refuses as changing nothing.
    h.telegram.failures.set('editMessageText', {
      error_code: 400,
      description:
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    });
    expect(answerOf(await anna.tap(button.plus(tag)))).toBeUndefined();
    expect(textsOf(await anna.tap(button.plus(tag)))[0]).toContain('Quantity: 3');
  });

  it('takes a typed quantity after rejecting every bad one, and the prompt above then says that quantity (Russian)', async () => {
    const anna = await atProduct('ru', 3, 1);
    await anna.tap(button.buy(3));
    const tag = tagOf(anna);
    expect(textsOf(await anna.send('abc'))).toEqual(['Пришлите количество целым числом, например 2.']);
    expect(textsOf(await anna.send('0'))).toEqual(['Количество должно быть не меньше 1.']);
    expect(textsOf(await anna.send('-3'))).toEqual(['Количество должно быть не меньше 1.']);
    expect(textsOf(await anna.send('1000000'))).toEqual(['В наличии только 5 шт.: выберите не больше 5.']);
    expect(textsOf(await anna.send('6'))).toEqual(['В наличии только 5 шт.: выберите не больше 5.']);
    expect(textsOf(await anna.sticker())).toEqual(['Напишите количество числом или используйте кнопки.']);
    const promptId = anna.messageWith(button.plus(tag));
    const typed = await anna.send('2');
    expect(typed.map((c) => c.method)).toEqual(['editMessageText', 'sendMessage']);
    expect(typed[0]!.payload.message_id).toBe(promptId);
    expect(buttonsOf(typed[0])).toEqual([]);
    expect(textsOf(typed)).toEqual([
      'Кофе 3 — 11,50\u00a0$\nКоличество: 2',
      'Ваш заказ:\nКофе 3 × 2 (по 11,50\u00a0$)\nИтого: 23,00\u00a0$\nПодтверждаете?',
    ]);
    expect(textsOf(await anna.tap(confirmOf(anna)))[0]).toMatch(
      /^✅ Заказ №\d+ оформлен, сумма 23,00\u00a0\$\. Резервирую товары, затем проходит оплата/,
    );
  });

  it('keeps the summary when the order service is down and retries with the same Idempotency-Key', async () => {
    const anna = await atProduct('en');
    await anna.tap(button.buy(8));
    const tag = tagOf(anna);
    await anna.tap(button.continue(tag));
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

  it('cancels from the buttons, with /cancel at each step, and on a command', async () => {
    const anna = await atProduct('en');
    await anna.tap(button.buy(8));
    expect(textsOf(await anna.tap(button.cancel(tagOf(anna))))).toEqual([
      'Checkout cancelled: nothing was ordered.',
    ]);
    await anna.tap(button.buy(8));
    expect(textsOf(await anna.send('/cancel'))).toEqual(['Cancelled. What next?']);
    await anna.tap(button.buy(8), anna.messageWith(button.buy(8)));
    await anna.tap(button.continue(tagOf(anna)));
    expect(textsOf(await anna.send('/cancel'))).toEqual(['Cancelled. What next?']);
    await anna.tap(button.buy(8), anna.messageWith(button.buy(8)));
    expect(textsOf(await anna.send('/orders'))[0]).toBe('🛒 I stopped the checkout: nothing was ordered.');
  });

  it('shows the new price when it changed between the summary and Confirm, and places the order only at a total the buyer confirmed', async () => {
    const anna = await atProduct('en');
    await anna.tap(button.buy(8));
    const tag = tagOf(anna);
    await anna.tap(button.continue(tag));
    const seen = confirmOf(anna);
    const summaryId = anna.messageWith(seen);
    await h.shop.setPrice(8, 500);
    try {
      const refused = await anna.tap(seen);
      expect(textsOf(refused)).toEqual([
        '⚠️ The price has changed from $4.50 to $5.00 each. Nothing was ordered yet: please check the new total.\n\n' +
          'Your order:\nGreen tea × 1 ($5.00 each)\nTotal: $5.00\nConfirm?',
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
    await anna.tap(button.buy(8));
    const tag = tagOf(anna);
    const leftIt = '🛒 I stopped the checkout: nothing was ordered.';

    const orders = await anna.tap(button.orders(1), anna.messageWith(button.orders(1)));
    expect(answerOf(orders)).toBeUndefined();
    expect(textsOf(orders)).toEqual([leftIt, 'You have no orders yet.']);
    expect(answerOf(await anna.tap(button.plus(tag)))).toBe('This checkout is already finished.');

    await anna.tap(button.buy(8), anna.messageWith(button.buy(8)));
    expect(textsOf(await anna.tap(button.category(2, 1), anna.messageWith(button.category(2, 1))))).toEqual([
      leftIt,
      '🛍 Products\nPage 1 of 1',
    ]);

    await anna.tap(button.product(8, 2, 1));
    await anna.tap(button.buy(8));
    await anna.tap(button.continue(tagOf(anna)));
    expect(textsOf(await anna.tap(button.logout, anna.messageWith(button.logout)))).toEqual([
      leftIt,
      '👋 You are logged out. See you soon!',
    ]);
    expect(await h.deps.signIns.get(anna.id)).toBeUndefined();
  });

  it('says a product deleted meanwhile is gone', async () => {
    const anna = await atProduct('en', 4, 1);
    await h.shop.deleteProduct(4);
    try {
      expect(textsOf(await anna.tap(button.buy(4)))).toEqual(['That product is no longer available.']);
    } finally {
      await h.shop.restoreProducts();
    }
  });
});

import { uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf, createChat, textsOf, type Chat } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { button } from './support/buttons.ts';
import { confirmOf, DELIVERY, deliveredTo, typeDelivery } from './support/checkout.ts';

let h: Harness;
beforeAll(async () => {
  // Every payment is declined: no paid order takes stock away from the next test.
  h = await startHarness('cart', { paymentEnv: { PAYMENT_DECLINE_ABOVE_CENTS: '0' } });
});
afterAll(() => h.close());

async function signedIn(lang: 'en' | 'ru' = 'en'): Promise<Chat> {
  const anna = createChat(h.telegram, () => h.bot, lang);
  await anna.send('/register');
  await anna.send(uniqueEmail('cart'));
  await anna.send('a good password');
  return anna;
}

/** Opens the card of product `id` in `category` and adds `quantity` of it with ➕ and Add to cart. */
async function addFromCard(anna: Chat, id: number, category: number, quantity = 1) {
  await anna.send('/catalog');
  await anna.tap(button.category(category, 1));
  await anna.tap(button.product(id, category, 1));
  for (let n = 2; n <= quantity; n++) await anna.tap(button.card(id, n, category));
  return anna.tap(button.addToCart(id, quantity));
}

/** Anna's cart lines as the order service keeps them. */
const linesOf = async (anna: Chat) =>
  (await h.deps.signIns.withToken(anna.id, (token) => h.deps.orders.cart(token, 'en'))).items.map((line) => [
    Number(line.productId),
    line.quantity,
  ]);
/** Arranges Anna's cart through the order service, as another device of hers would. */
const putLine = (anna: Chat, productId: number, quantity: number, locale = 'en') =>
  h.deps.signIns.withToken(anna.id, (token) =>
    h.deps.orders.setCartQuantity(token, String(productId), quantity, locale),
  );

describe('the cart', () => {
  it('adds products from their cards, and changes, removes and clears lines in one edited message (English)', async () => {
    const anna = await signedIn();
    expect(answerOf(await addFromCard(anna, 8, 2, 2))).toBe('🛒 Added 2 × Green tea. In your cart: 2.');
    expect(answerOf(await anna.tap(button.addToCart(8, 1)))).toBe('🛒 Added 1 × Green tea. In your cart: 3.');
    expect(answerOf(await anna.tap(button.addToCart(8, 1)))).toBe(
      'Only 3 in stock, and you have 3 in your cart already.',
    );
    await addFromCard(anna, 3, 1);

    const sent = await anna.send('/cart');
    expect(textsOf(sent)).toEqual([
      '🛒 Your cart:\n1. Green tea × 3 — $13.50\n2. Coffee 3 × 1 — $11.50\nTotal: $25.00',
    ]);
    expect(anna.lastButtons().map((b) => [b.text, b.callback_data])).toEqual([
      ['➖', button.cartLine(8, 2)],
      ['1. Green tea × 3', button.cart],
      ['➕', button.cartLine(8, 4)],
      ['🗑', button.cartRemove(8)],
      ['➖', button.cartLine(3, 0)],
      ['2. Coffee 3 × 1', button.cart],
      ['➕', button.cartLine(3, 2)],
      ['🗑', button.cartRemove(3)],
      ['✅ Checkout', button.checkout],
      ['🧹 Clear', button.cartClear],
      ['🛍 Catalog', button.categories],
    ]);

    expect(textsOf(await anna.tap(button.cartLine(3, 2)))[0]).toContain(
      '2. Coffee 3 × 2 — $23.00\nTotal: $36.50',
    );
    expect(answerOf(await anna.tap(button.cartLine(8, 4)))).toBe('Only 3 in stock: please choose at most 3.');
    expect(answerOf(await anna.tap(button.cartLine(3, 0)))).toBe(
      'The quantity must be at least 1: 🗑 removes the product.',
    );
    expect(textsOf(await anna.tap(button.cartLine(8, 2)))[0]).toContain('1. Green tea × 2 — $9.00');
    expect(textsOf(await anna.tap(button.cartRemove(8)))).toEqual([
      '🛒 Your cart:\n1. Coffee 3 × 2 — $23.00\nTotal: $23.00',
    ]);
    expect(await linesOf(anna)).toEqual([[3, 2]]);
    const cleared = await anna.tap(button.cartClear);
    expect(answerOf(cleared)).toBe('Your cart is empty now.');
    expect(textsOf(cleared)).toEqual(['🛒 Your cart is empty. Add products from the catalog.']);
    expect(await linesOf(anna)).toEqual([]);

    // Every change edited the message /cart sent.
    const messageId = (sent[0]!.result as { message_id: number }).message_id;
    const edits = h.telegram.calls
      .slice(h.telegram.calls.indexOf(sent[0]!))
      .filter((c) => c.payload.chat_id === anna.id && c.method === 'editMessageText');
    expect(edits.length).toBeGreaterThan(3);
    expect(new Set(edits.map((c) => c.payload.message_id))).toEqual(new Set([messageId]));
  });

  it('opens from the main menu and marks the lines whose product is gone or short of stock (Russian)', async () => {
    const anna = await signedIn('ru');
    await putLine(anna, 4, 1, 'ru');
    await putLine(anna, 5, 6, 'ru');
    await putLine(anna, 1, 1, 'ru');
    await h.shop.deleteProduct(4);
    try {
      await anna.send('/start');
      const cart = await anna.tap(button.cart);
      expect(textsOf(cart)).toEqual([
        '🛒 Ваша корзина:\n' +
          '1. Кофе 4 — ❌ больше не продаётся\n' +
          '2. Кофе 5 × 6 — ⚠️ в наличии только 5 шт.\n' +
          '3. Кофе 1 × 1 — 10,50\u00a0$\n' +
          'Итого: 10,50\u00a0$\n' +
          'Чтобы оформить заказ, удалите отмеченные товары или уменьшите их количество.',
      ]);
      expect(anna.lastButtons()[0]).toEqual({ text: '🗑 1. Кофе 4', callback_data: button.cartRemove(4) });
      expect(answerOf(await anna.tap(button.checkout))).toBe(
        'Некоторые товары в корзине сейчас нельзя купить: удалите их или уменьшите количество, затем оформите заказ.',
      );
      await anna.tap(button.cartRemove(4));
      await anna.tap(button.cartLine(5, 5));
      expect(textsOf(await anna.send('/cart'))).toEqual([
        '🛒 Ваша корзина:\n1. Кофе 5 × 5 — 62,50\u00a0$\n2. Кофе 1 × 1 — 10,50\u00a0$\nИтого: 73,00\u00a0$',
      ]);
    } finally {
      await h.shop.restoreProducts();
    }
  });

  it('answers the limits clearly: a 21st product, more than 100 of one, an empty cart at checkout', async () => {
    const anna = await signedIn();
    const teas = await h.shop.addTeas(13);
    for (const id of [1, 2, 3, 4, 5, 6, 7, ...teas.slice(0, 13)]) await putLine(anna, id, 1);
    expect(answerOf(await addFromCard(anna, 8, 2))).toBe(
      'Your cart holds at most 20 different products: remove one or check out first.',
    );
    expect((await linesOf(anna)).length).toBe(20);

    await putLine(anna, teas[0]!, 100);
    await anna.send('/cart');
    expect(answerOf(await anna.tap(button.cartLine(teas[0]!, 101)))).toBe(
      'At most 100 of one product per order.',
    );
    const cleared = await anna.tap(button.cartClear);
    expect(textsOf(cleared)).toEqual(['🛒 Your cart is empty. Add products from the catalog.']);
    expect(answerOf(await anna.tap(button.checkout, anna.messageWith(button.checkout)))).toBe(
      '🛒 Your cart is empty. Add products from the catalog.',
    );
    expect(textsOf(await anna.tap(button.cartRemove(8), anna.messageWith(button.checkout)))).toEqual([
      '🛒 Your cart is empty. Add products from the catalog.',
    ]);
  });

  it('refuses forged cart buttons and presses from someone else in the chat', async () => {
    const anna = await signedIn();
    await putLine(anna, 2, 2);
    await anna.send('/cart');
    const boris = createChat(h.telegram, () => h.bot, 'en', { chat: anna.chat });
    for (const data of [button.cartRemove(2), button.cartClear, button.checkout, button.cartLine(2, 3)]) {
      const pressed = await boris.tap(data, anna.messageWith(button.checkout));
      expect(answerOf(pressed)).toBe("This button belongs to someone else's chat.");
    }
    for (const forged of [
      'cq:2:zz',
      'cq:2',
      'cr:2:1',
      'ad:2:0',
      'ad:2:2t',
      'co:1',
      `cq:${'9'.repeat(41)}:1`,
    ]) {
      const pressed = await anna.tap(forged, anna.messageWith(button.checkout));
      expect(answerOf(pressed), forged).toBe('This button belongs to an older message and no longer works.');
    }
    expect(await linesOf(anna)).toEqual([[2, 2]]);
  });

  it('takes nothing out for a 🗑 of a product not in the cart, even one no shop product could be', async () => {
    const anna = createChat(h.telegram, () => h.bot);
    await putLine(anna, 2, 2);
    await anna.send('/cart');
    const cart = anna.messageWith(button.checkout);
    for (const product of ['-', '0', '99999999999', '5']) {
      const pressed = await anna.tap(button.cartRemove(product), cart);
      expect(answerOf(pressed), product).toBe('This button belongs to an older message and no longer works.');
      expect(textsOf(pressed), product).toEqual(['🛒 Your cart:\n1. Coffee 2 × 2 — $22.00\nTotal: $22.00']);
    }
    expect(await linesOf(anna)).toEqual([[2, 2]]);
  });
});

describe('checking out the cart', () => {
  it('shows every line and the delivery details, takes the shared phone, and empties the cart with the order', async () => {
    const anna = await signedIn();
    await addFromCard(anna, 8, 2, 2);
    await addFromCard(anna, 1, 1);
    await anna.send('/cart');
    expect(textsOf(await anna.tap(button.checkout))).toEqual([
      "🚚 Where should we deliver your order? First, the recipient's name. (/cancel to stop)",
    ]);
    await anna.send(DELIVERY.name);
    await anna.contact('+7 999 123-45-67');
    const summary = await anna.send(DELIVERY.address);
    const delivery = { ...DELIVERY, phone: '+7 999 123-45-67' };
    expect(textsOf(summary)).toEqual([
      'Your order:\n• Green tea × 2 ($4.50 each) — $9.00\n• Coffee 1 × 1 ($10.50 each) — $10.50\n' +
        `${deliveredTo(delivery)}\nTotal: $19.50\nConfirm?`,
    ]);
    const placed = await anna.tap(confirmOf(anna));
    expect(textsOf(placed)[0]).toMatch(/^✅ Order #\d+ placed, total \$19\.50\./);
    expect(await linesOf(anna)).toEqual([]);
    const [order] = await h.deps.signIns.withToken(anna.id, (token) => h.deps.orders.list(token));
    expect(order!.items.map((item) => [item.name, item.quantity])).toEqual([
      ['Green tea', 2],
      ['Coffee 1', 1],
    ]);
    expect(
      h.shop.orderRequests.filter((r) => r.method === 'POST' && r.path === '/orders').at(-1)?.idempotencyKey,
    ).toBeTruthy();

    // The next checkout offers the same details straight away.
    await putLine(anna, 2, 1);
    await anna.send('/cart');
    expect(textsOf(await anna.tap(button.checkout))).toEqual([
      `Your order:\n• Coffee 2 × 1 ($11.00 each) — $11.00\n${deliveredTo(delivery)}\nTotal: $11.00\nConfirm?`,
    ]);
  });

  it('shows a new summary when a price changed, and orders only at the total confirmed', async () => {
    const anna = await signedIn();
    await putLine(anna, 6, 1);
    await putLine(anna, 7, 2);
    await anna.send('/cart');
    await anna.tap(button.checkout);
    await typeDelivery(anna);
    const seen = confirmOf(anna);
    await h.shop.setPrice(7, 1400);
    try {
      const refused = await anna.tap(seen);
      expect(textsOf(refused)).toEqual([
        '⚠️ Prices have changed: Coffee 7 $13.50 → $14.00. Nothing was ordered yet: please check the new total.\n\n' +
          'Your order:\n• Coffee 6 × 1 ($13.00 each) — $13.00\n• Coffee 7 × 2 ($14.00 each) — $28.00\n' +
          `${deliveredTo()}\nTotal: $41.00\nConfirm?`,
      ]);
      expect(await linesOf(anna)).toEqual([
        [6, 1],
        [7, 2],
      ]);
      expect(confirmOf(anna)).toBe(seen.replace(/[^:]+$/, (4_100).toString(36)));
      const placed = await anna.tap(confirmOf(anna));
      expect(textsOf(placed)[0]).toMatch(/^✅ Order #\d+ placed, total \$41\.00\./);
      expect(await linesOf(anna)).toEqual([]);
    } finally {
      await h.shop.setPrice(7, 1350);
    }
  });

  it('says which product is gone when it was deleted after the summary, and keeps the cart', async () => {
    const anna = await signedIn();
    await putLine(anna, 5, 1);
    await putLine(anna, 6, 1);
    await anna.send('/cart');
    await anna.tap(button.checkout);
    await typeDelivery(anna);
    await h.shop.deleteProduct(6);
    try {
      expect(textsOf(await anna.tap(confirmOf(anna)))).toEqual([
        'Coffee 6: no longer sold, so nothing was ordered. Remove it from your cart (/cart) and check out again.',
      ]);
      expect(await linesOf(anna)).toEqual([
        [5, 1],
        [6, 1],
      ]);
    } finally {
      await h.shop.restoreProducts();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf, createChat, textsOf } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { button } from './support/buttons.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('catalog');
});
afterAll(() => h.close());

const chat = (lang: 'en' | 'ru' = 'en') => createChat(h.telegram, () => h.bot, lang);

describe('catalog browsing', () => {
  it('browses categories, pages and a product card in one edited message (English)', async () => {
    const anna = chat();
    const sent = await anna.send('/catalog');
    expect(textsOf(sent)).toEqual(['🛍 Choose a category:']);
    expect(anna.lastButtons().map((b) => b.text)).toEqual(['Coffee', 'Tea']);
    const page1 = await anna.tap(button.category(1, 1));
    expect(page1.map((c) => c.method)).toEqual(['editMessageText', 'answerCallbackQuery']);
    expect(textsOf(page1)).toEqual(['🛍 Products\nPage 1 of 2']);
    expect(anna.lastButtons().map((b) => b.text)).toEqual([
      'Coffee 1 · $10.50',
      'Coffee 2 · $11.00',
      'Coffee 3 · $11.50',
      'Coffee 4 · $12.00',
      'Coffee 5 · $12.50',
      'Next ▶️',
      '⬅️ Back',
    ]);
    expect(textsOf(await anna.tap(button.category(1, 2)))).toEqual(['🛍 Products\nPage 2 of 2']);
    expect(anna.lastButtons().map((b) => b.callback_data)).toEqual([
      button.product(6, 1, 2),
      button.product(7, 1, 2),
      button.category(1, 1),
      button.categories,
    ]);
    const card = await anna.tap(button.product(7, 1, 2));
    expect(textsOf(card)).toEqual(['Coffee 7\n\nCoffee 7 — description\n\nPrice: $13.50\nIn stock: 5']);
    expect(anna.lastButtons().map((b) => b.callback_data)).toEqual([
      button.card(7, 0, 1, 2),
      button.card(7, 1, 1, 2),
      button.card(7, 2, 1, 2),
      button.addToCart(7, 1),
      button.buy(7, 1),
      button.category(1, 2),
      button.cart,
    ]);
    expect(textsOf(await anna.tap(button.category(1, 2)))).toEqual(['🛍 Products\nPage 2 of 2']);
    expect(textsOf(await anna.tap(button.categories))).toEqual(['🛍 Choose a category:']);
    // Every screen edited the one message /catalog sent.
    const messageId = (sent[0]!.result as { message_id: number }).message_id;
    const edits = h.telegram.calls.filter(
      (c) => c.payload.chat_id === anna.id && c.method === 'editMessageText',
    );
    expect(new Set(edits.map((c) => c.payload.message_id))).toEqual(new Set([messageId]));
  });

  it('shows names and prices in Russian', async () => {
    const anna = chat('ru');
    await anna.send('/catalog');
    expect(anna.lastButtons().map((b) => b.text)).toEqual(['Кофе', 'Чай']);
    expect(textsOf(await anna.tap(button.category(2, 1)))).toEqual(['🛍 Товары\nСтраница 1 из 1']);
    expect(anna.lastButtons()[0]!.text).toBe('Зелёный чай · 4,50\u00a0$');
  });

  it('gives every button on a page of products a label of its own (Russian)', async () => {
    const anna = chat('ru');
    await anna.send('/catalog');
    await anna.tap(button.category(1, 1));
    await anna.tap(button.category(1, 2));
    const labels = anna.lastButtons().map((b) => b.text);
    expect(labels).toEqual(['Кофе 6 · 13,00\u00a0$', 'Кофе 7 · 13,50\u00a0$', '◀️ Предыдущая', '⬅️ Назад']);
    // Read without their arrows, as a screen reader or a quick glance would.
    const words = labels.map((label) => label.replace(/[^\p{L}\p{N}\s·,$]/gu, '').trim());
    expect(new Set(words).size).toBe(words.length);
    await anna.tap(button.category(1, 1));
    expect(
      anna
        .lastButtons()
        .map((b) => b.text)
        .slice(-2),
    ).toEqual(['Следующая ▶️', '⬅️ Назад']);
  });

  it('searches the catalog with any plain text and pages through the results', async () => {
    const anna = chat();
    expect(textsOf(await anna.send('coffee'))).toEqual(['🔎 Found 7 for “coffee”:\nPage 1 of 2']);
    expect(textsOf(await anna.tap(button.search(2)))).toEqual(['🔎 Found 7 for “coffee”:\nPage 2 of 2']);
    expect(textsOf(await anna.send('zzz'))).toEqual([
      '🔎 Nothing found for “zzz”. Try another word or browse the catalog.',
    ]);
  });

  it('handles buttons from old messages: a deleted product, a page that is gone, an unknown or older button', async () => {
    const anna = chat();
    await anna.send('/catalog');
    await anna.tap(button.category(1, 1));
    await anna.tap(button.category(1, 2));
    await h.shop.deleteProduct(6);
    try {
      const gone = await anna.tap(button.product(6, 1, 2));
      expect(answerOf(gone)).toBe('That product is no longer available.');
      await h.shop.deleteProduct(7);
      const page = await anna.tap(button.category(1, 2), anna.messageWith(button.category(1, 1)));
      expect(answerOf(page)).toBe('That page no longer exists; here is the last one.');
      expect(textsOf(page)).toEqual(['🛍 Products\nPage 1 of 1']);
      // An unknown button, and buttons as the bot wrote them before it had one codec for callback data.
      for (const old of [
        'zz:old',
        'c',
        'm:cat',
        'c:1:2',
        'p:7:c:1:2',
        's:1',
        'b:8',
        'od:1:1',
        'k:0a1b2c3d:buy:450',
      ]) {
        const pressed = await anna.tap(old, 1);
        expect(answerOf(pressed), old).toBe('This button belongs to an older message and no longer works.');
        expect(pressed.map((call) => call.method)).toEqual(['answerCallbackQuery']);
      }
    } finally {
      await h.shop.restoreProducts();
    }
  });

  it('says the catalog is down and retries with the same button', async () => {
    const anna = chat();
    await h.shop.whileDown('catalog', async () => {
      expect(textsOf(await anna.send('/catalog'))).toEqual([
        '😕 The catalog is not answering right now. Please try again in a moment.',
      ]);
      expect(anna.lastButtons()).toEqual([{ text: '🔄 Try again', callback_data: button.categories }]);
      const again = await anna.tap(button.categories);
      expect(answerOf(again)).toBe('The catalog is not answering right now.');
    });
    expect(textsOf(await anna.tap(button.categories))).toEqual(['🛍 Choose a category:']);
  });

  it('lets a user who never registered start ordering at once', async () => {
    const anna = chat();
    await anna.send('/catalog');
    await anna.tap(button.category(2, 1));
    await anna.tap(button.product(8, 2, 1));
    const calls = await anna.tap(button.buy(8, 1));
    expect(answerOf(calls)).toBeUndefined();
    expect(textsOf(calls)).toEqual([
      "🚚 Where should we deliver your order? First, the recipient's name. (/cancel to stop)",
    ]);
    await anna.send('/cancel');
    const cart = await anna.tap(button.addToCart(8, 1));
    expect(answerOf(cart)).toBe('🛒 Added 1 × Green tea. In your cart: 1.');
    expect(textsOf(await anna.send('/cart'))).toEqual([
      '🛒 Your cart:\n1. Green tea × 1 — $4.50\nTotal: $4.50',
    ]);
  });

  it('answers a photo or a sticker outside conversations, and unknown commands', async () => {
    const anna = chat();
    expect(textsOf(await anna.photo())).toEqual([
      'I understand text and commands. Type what you are looking for, or see /help.',
    ]);
    expect(textsOf(await anna.sticker())).toEqual([
      'I understand text and commands. Type what you are looking for, or see /help.',
    ]);
    expect(textsOf(await anna.send('/nope'))).toEqual([
      'I do not know that command. /help lists the ones I do.',
    ]);
    expect(textsOf(await anna.send('/cancel'))).toEqual([
      'There is nothing to cancel. /help lists what I can do.',
    ]);
    expect(textsOf(await anna.send('/help'))[0]).toContain('/catalog — browse products by category');
  });
});

import { testLogger, uniqueEmail } from '@shop/testkit';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBot } from '../src/bot.ts';
import { createAuthClient } from '../src/clients/auth.ts';
import { createSignIns } from '../src/sign-ins.ts';
import { botInfo } from './support/bot-info.ts';
import { button } from './support/buttons.ts';
import { answerOf, createChat, textsOf, type Chat, type ChatOptions } from './support/chat.ts';
import { confirmOf, typeDelivery } from './support/checkout.ts';
import { startHarness, type Harness } from './support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('telegram_sign_in');
});
afterAll(() => h.close());

const chat = (lang: 'en' | 'ru' = 'en', options: ChatOptions = {}) =>
  createChat(h.telegram, () => h.bot, lang, options);

/** The account auth keeps for this Telegram user. */
async function accountOf(telegramId: number) {
  const rows = await h.auth.orm.em.fork().execute<
    {
      id: string;
      email: string | null;
      language_code: string | null;
      first_name: string | null;
      username: string | null;
    }[]
  >('select id, email, language_code, first_name, username from users where telegram_id = ?', [telegramId]);
  return rows[0];
}

/** Buys one green tea from the catalog, typing the delivery details; returns the order number the bot names. */
async function buyTea(anna: Chat): Promise<number> {
  await anna.send('/catalog');
  await anna.tap(button.category(2, 1));
  await anna.tap(button.product(8, 2, 1));
  await anna.tap(button.buy(8, 1));
  await typeDelivery(anna);
  const placed = await anna.tap(confirmOf(anna));
  return Number(/[#№](\d+)/.exec(textsOf(placed)[0]!)![1]);
}

describe('a buyer who never registered', () => {
  it('orders at once, and the account made for them keeps their Telegram language and name', async () => {
    const olga = chat('ru', { firstName: 'Ольга', username: 'olga_k' });
    expect(textsOf(await olga.send('/start'))[0]).toContain('регистрация не нужна');
    expect(olga.lastButtons().map((b) => b.text)).toEqual([
      '🛍 Каталог',
      '🛒 Корзина',
      '📦 Мои заказы',
      '📝 Регистрация',
      '🔑 Войти',
    ]);
    expect(await accountOf(olga.id)).toBeUndefined();

    const order = await buyTea(olga);
    expect(order).toBeGreaterThan(0);
    expect(await accountOf(olga.id)).toMatchObject({
      email: null,
      language_code: 'ru',
      first_name: 'Ольга',
      username: 'olga_k',
    });
    expect(
      h.telegram.calls.some(
        (c) => c.payload.chat_id === olga.id && /пароль|e-mail\?/.test(String(c.payload.text)),
      ),
    ).toBe(false);
  });

  it('tells auth a changed language or name once, and nothing more while they stay the same', async () => {
    const signIns = vi.spyOn(h.deps.auth, 'signInWithTelegram');
    try {
      const anna = chat('ru');
      await anna.send('/orders');
      await anna.send('/orders');
      expect(signIns).toHaveBeenCalledTimes(1);
      const userId = (await accountOf(anna.id))!.id;

      // The same Telegram user, their client now in English, renamed, with a username.
      const renamed = chat('en', { userId: anna.id, firstName: 'Anya', username: 'anya' });
      expect(textsOf(await renamed.send('/orders'))).toEqual(['You have no orders yet.']);
      await renamed.send('/orders');
      expect(signIns).toHaveBeenCalledTimes(2);
      expect(await accountOf(anna.id)).toEqual({
        id: userId,
        email: null,
        language_code: 'en',
        first_name: 'Anya',
        username: 'anya',
      });
    } finally {
      signIns.mockRestore();
    }
  });

  it('is signed in once when two replicas need it at the same moment', async () => {
    const signIns = vi.spyOn(h.deps.auth, 'signInWithTelegram');
    try {
      const from = { id: chat().id, first_name: 'Anna', language_code: 'en' };
      const users = await Promise.all(
        [1, 2].map(() => h.deps.signIns.withToken(from, async (token) => decodeJwt(token).sub)),
      );
      expect(signIns).toHaveBeenCalledTimes(1);
      expect(users[0]).toBe(users[1]);
    } finally {
      signIns.mockRestore();
    }
  });

  it('fills a cart and checks it out, the cart kept by the account made for them', async () => {
    const anna = chat('en', { firstName: 'Anya' });
    await anna.send('/catalog');
    await anna.tap(button.category(1, 1));
    await anna.tap(button.product(3, 1, 1));
    await anna.tap(button.card(3, 2, 1));
    expect(answerOf(await anna.tap(button.addToCart(3, 2)))).toBe('🛒 Added 2 × Coffee 3. In your cart: 2.');
    expect(await accountOf(anna.id)).toMatchObject({ email: null, first_name: 'Anya' });
    expect(textsOf(await anna.tap(button.cart))).toEqual([
      '🛒 Your cart:\n1. Coffee 3 × 2 — $23.00\nTotal: $23.00',
    ]);
    expect(textsOf(await anna.tap(button.checkout))).toEqual([
      "🚚 Where should we deliver your order? First, the recipient's name. (/cancel to stop)",
    ]);
    await typeDelivery(anna);
    expect(textsOf(await anna.tap(confirmOf(anna)))[0]).toMatch(/^✅ Order #\d+ placed, total \$23\.00\./);
    expect(textsOf(await anna.send('/cart'))).toEqual([
      '🛒 Your cart is empty. Add products from the catalog.',
    ]);
    expect(textsOf(await anna.send('/orders'))).toEqual([expect.stringContaining('Your orders')]);
  });

  it('logs out, and is signed in again to the same account, orders and all, at the next need', async () => {
    const anna = chat();
    const order = await buyTea(anna);
    expect(textsOf(await anna.send('/logout'))).toEqual([
      '👋 You are logged out. Your next order or /orders signs you in again with your Telegram account, and your orders are still there.',
    ]);
    expect(await h.deps.signIns.get(anna.id)).toBeUndefined();
    expect(textsOf(await anna.send('/orders'))).toEqual([expect.stringContaining('Your orders')]);
    expect(anna.lastButtons()[0]?.text).toContain(`#${order}`);
  });

  it('uses an e-mail account once they log in to it here; the orders placed before stay with the Telegram account', async () => {
    const email = uniqueEmail('later');
    await h.deps.auth.register(email, 'a good password');
    const anna = chat();
    await buyTea(anna);
    const oneTap = (await accountOf(anna.id))!.id;

    expect(textsOf(await anna.send('/login'))).toEqual([
      "ℹ️ So far you shop with your Telegram account alone. Once you sign in to an e-mail account here, this chat uses that account: orders placed so far stay with the Telegram account (I still tell you about them here), and /orders shows the e-mail account's orders.",
      "Let's log you in. What is your e-mail? (/cancel to stop)",
    ]);
    await anna.send(email);
    expect(textsOf(await anna.send('a good password'))).toEqual([`✅ You are signed in as ${email}.`]);
    expect(textsOf(await anna.send('/orders'))).toEqual(['You have no orders yet.']);
    expect(await accountOf(anna.id)).toMatchObject({ email });
    expect((await accountOf(anna.id))!.id).not.toBe(oneTap);
  });
});

/** The bot with a service token auth does not know (one wrong try each: far below the address lock). */
function misconfiguredBot() {
  const wrongAuth = createAuthClient({
    baseUrl: h.auth.url,
    timeoutMs: 10_000,
    serviceToken: 'not-the-bot-service-token',
  });
  const deps = {
    ...h.deps,
    auth: wrongAuth,
    signIns: createSignIns({ redis: h.redis, prefix: h.keyPrefix, auth: wrongAuth }),
    logger: testLogger(),
  };
  return createBot('123:test', deps, {
    botInfo,
    client: { fetch: h.telegram.fetch, apiRoot: 'http://telegram.test' },
  });
}

const REFUSED = '🔒 I could not sign you in just now. Please try again in a moment.';

describe('when auth refuses to sign the bot in', () => {
  it('says so with a Try again button, and signs in once the bot may again', async () => {
    const misconfigured = misconfiguredBot();
    const anna = createChat(h.telegram, () => misconfigured, 'en');
    expect(textsOf(await anna.send('/orders'))).toEqual([REFUSED]);
    expect(anna.lastButtons()).toEqual([{ text: '🔄 Try again', callback_data: button.orders(1) }]);

    const fixed = createChat(h.telegram, () => h.bot, 'en', { userId: anna.id });
    expect(textsOf(await fixed.tap(button.orders(1)))).toEqual(['You have no orders yet.']);
  });

  it('says so on the cart, at Add to cart and at Buy now, each Try again repeating the press', async () => {
    const misconfigured = misconfiguredBot();
    const anna = createChat(h.telegram, () => misconfigured, 'en');
    expect(textsOf(await anna.send('/cart'))).toEqual([REFUSED]);
    expect(anna.lastButtons()).toEqual([{ text: '🔄 Try again', callback_data: button.cart }]);
    await anna.send('/catalog');
    await anna.tap(button.category(1, 1));
    await anna.tap(button.product(3, 1, 1));
    await anna.tap(button.card(3, 2, 1));
    expect(textsOf(await anna.tap(button.buy(3, 2)))).toEqual([REFUSED]);
    expect(anna.lastButtons()).toEqual([{ text: '🔄 Try again', callback_data: button.buy(3, 2) }]);
    expect(textsOf(await anna.tap(button.addToCart(3, 2)))).toEqual([REFUSED]);
    expect(anna.lastButtons()).toEqual([{ text: '🔄 Try again', callback_data: button.addToCart(3, 2) }]);

    const fixed = createChat(h.telegram, () => h.bot, 'en', { userId: anna.id });
    expect(answerOf(await fixed.tap(button.addToCart(3, 2)))).toBe('🛒 Added 2 × Coffee 3. In your cart: 2.');
    expect(textsOf(await fixed.tap(button.buy(3, 2)))).toEqual([
      "🚚 Where should we deliver your order? First, the recipient's name. (/cancel to stop)",
    ]);
    await fixed.send('/cancel');
    expect(textsOf(await fixed.tap(button.cart))).toEqual([
      '🛒 Your cart:\n1. Coffee 3 × 2 — $23.00\nTotal: $23.00',
    ]);
  });
});

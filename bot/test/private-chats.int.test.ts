import { uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf, buttonsOf, createChat, createGroup, textsOf } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { button } from './support/buttons.ts';
import { confirmOf, tagOf, typeDelivery } from './support/checkout.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('private_chats', { paymentEnv: { PAYMENT_DECLINE_ABOVE_CENTS: '0' } });
});
afterAll(() => h.close());

const note =
  '🔒 I serve the shop only in a private chat, so that your orders and your sign-in stay yours. Open a chat with me: https://t.me/shop_bot';
const alert = '🔒 The shop works only in a private chat with me: https://t.me/shop_bot';

/** Anna, registered and signed in through her private chat with the bot. */
async function signedInAnna() {
  const anna = createChat(h.telegram, () => h.bot, 'en');
  await anna.send('/register');
  await anna.send(uniqueEmail('group'));
  await anna.send('a good password');
  return anna;
}

describe('groups and channels', () => {
  it('answers /login in a group only with a note pointing to the private chat, and never asks for a password there', async () => {
    const group = createGroup();
    const anna = createChat(h.telegram, () => h.bot, 'en', { chat: group });
    const calls = await anna.send('/login');
    expect(calls.map((c) => c.method)).toEqual(['sendMessage']);
    expect(calls[0]!.payload.chat_id).toBe(group.id);
    expect(textsOf(calls)).toEqual([note]);
    expect(buttonsOf(calls[0])).toEqual([{ text: '💬 Open the private chat', url: 'https://t.me/shop_bot' }]);
    // What follows is group chatter, not an e-mail or a password for the bot.
    expect(await anna.send(uniqueEmail())).toEqual([]);
    expect(await anna.send('a good password')).toEqual([]);
    expect(await anna.send('/catalog@another_bot')).toEqual([]);
  });

  it('says the same in Russian', async () => {
    const anna = createChat(h.telegram, () => h.bot, 'ru', { chat: createGroup('group') });
    expect(textsOf(await anna.send('/start@shop_bot'))).toEqual([
      '🔒 Магазин работает только в личном чате со мной, чтобы ваши заказы и вход оставались вашими. Откройте чат: https://t.me/shop_bot',
    ]);
  });

  it('starts no checkout in a group and lets no member press buttons there', async () => {
    const anna = await signedInAnna();
    const group = createGroup();
    const annaThere = createChat(h.telegram, () => h.bot, 'en', { chat: group, userId: anna.id });
    const borisThere = createChat(h.telegram, () => h.bot, 'en', { chat: group });
    const ordersBefore = h.shop.orderRequests.length;

    const order = await annaThere.tap(button.buy(8, 1), 1);
    expect(answerOf(order)).toBe(alert);
    expect(order.map((c) => c.method)).toEqual(['answerCallbackQuery']);
    for (const data of [
      button.cancel('0a1b2c3d'),
      button.confirm('0a1b2c3d', 450),
      button.addToCart(8, 1),
      button.cartRemove(8),
      button.orders(1),
      button.logout,
    ]) {
      const pressed = await borisThere.tap(data, 2);
      expect(answerOf(pressed)).toBe(alert);
      expect(pressed.map((c) => c.method)).toEqual(['answerCallbackQuery']);
    }
    expect(h.shop.orderRequests.slice(ordersBefore)).toEqual([]);
    expect(await h.deps.signIns.get(anna.id)).toBeDefined();
  });

  it('points to the private chat when it is added to a group', async () => {
    const group = createGroup();
    const before = h.telegram.calls.length;
    const shopBot = { id: 42, is_bot: true, first_name: 'Shop' };
    await h.bot.handleUpdate({
      update_id: 900_000_001,
      my_chat_member: {
        chat: { id: group.id, type: 'supergroup', title: 'Friends of the shop' },
        from: { id: 7, is_bot: false, first_name: 'Boris' },
        date: 0,
        old_chat_member: { status: 'left', user: shopBot },
        new_chat_member: { status: 'member', user: shopBot },
      },
    });
    expect(textsOf(h.telegram.calls.slice(before))).toEqual([note]);
  });
});

describe('a private chat', () => {
  it("refuses with an alert a button press from anyone but the chat's own user", async () => {
    const anna = await signedInAnna();
    await anna.send('/catalog');
    await anna.tap(button.category(2, 1));
    await anna.tap(button.product(8, 2, 1));
    await anna.tap(button.buy(8, 1));
    const boris = createChat(h.telegram, () => h.bot, 'en', { chat: anna.chat });
    // Boris types into Anna's checkout, and shares his contact there: nothing reaches it.
    expect(await boris.send('Boris')).toEqual([]);
    expect(await boris.contact('+44 7700 900123')).toEqual([]);
    await typeDelivery(anna);
    const tag = tagOf(anna);

    for (const data of [button.cancel(tag), button.changeDelivery(tag), confirmOf(anna)]) {
      const forged = await boris.tap(data, anna.messageWith(confirmOf(anna)));
      expect(answerOf(forged)).toBe("This button belongs to someone else's chat.");
      expect(forged.map((c) => c.method)).toEqual(['answerCallbackQuery']);
    }
    // Anna's checkout is untouched: her summary, her details, and her Confirm places the order.
    expect(textsOf(await anna.tap(confirmOf(anna)))[0]).toMatch(/^✅ Order #\d+ placed, total \$4\.50/);
  });
});

import { eventually, uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantAdmin } from '../../services/auth/src/store/admin-grants.ts';
import {
  adminFormButton,
  adminOrderActionButton,
  adminOrderCardButton,
  adminOrdersButton,
  adminStatsButton,
} from '../src/admin/buttons.ts';
import { button } from './support/buttons.ts';
import { answerOf, buttonsOf, createChat, textsOf, type Chat } from './support/chat.ts';
import type { ApiCall } from './support/fake-telegram.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { buyersOf } from './support/merchant-orders.ts';

let h: Harness;
let buyers: ReturnType<typeof buyersOf>;
beforeAll(async () => {
  h = await startHarness('admin_orders');
  buyers = buyersOf(h.shop);
  // Coffee 1 ($10.50) in stock for every order of this file.
  await h.shop.editProduct(1, { stock: 10_000 });
});
afterAll(() => h.close());

/** The merchant: the Telegram user ADMIN_TELEGRAM_IDS names, writing in `language`. */
const merchant = (language: 'en' | 'ru' = 'en') =>
  createChat(h.telegram, () => h.bot, language, { userId: h.shop.adminTelegramId });

/** Presses the button labelled `label` on the latest message of this chat that shows one. */
async function press(chat: Chat, label: string | RegExp): Promise<ApiCall[]> {
  const matches = (text: string) => (typeof label === 'string' ? text === label : label.test(text));
  for (const call of [...h.telegram.calls].reverse()) {
    if (call.payload.chat_id !== chat.id) continue;
    const found = buttonsOf(call).find((b) => matches(b.text));
    if (found) return chat.tap(found.callback_data);
  }
  throw new Error(`no button ${String(label)}; the last message shows: ${labels(chat).join(' | ')}`);
}
const labels = (chat: Chat) => chat.lastButtons().map((b) => b.text);
const lastText = (calls: ApiCall[]) => textsOf(calls).at(-1) ?? '';
const toShip = adminOrdersButton.build({ tab: 'paid', page: 1 });

/** /admin → Orders (to ship), then the card of order `id` from there. */
async function openCard(chat: Chat, id: number) {
  await chat.send('/admin');
  await press(chat, /Orders|Заказы/);
  return chat.tap(adminOrderCardButton.build({ order: id, tab: 'paid', page: 1 }), chat.messageWith(toShip));
}

const DATE = String.raw`[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2}`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the orders desk', () => {
  it('lists the orders to ship newest first, a page at a time, in one message it edits', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push((await buyers.paidOrder()).id);
    const admin = merchant();
    await admin.send('/admin');
    const list = await press(admin, '📦 Orders');

    const [title] = textsOf(list);
    expect(title).toMatch(/^📦 To ship: \d+ in all, newest first\. Times are UTC\.\nPage 1 of \d+$/);
    const shown = labels(admin);
    const newest = ids.slice(1).reverse();
    expect(shown.slice(0, 6).map((label) => Number(/^#(\d+) · \$10\.50 · /.exec(label)?.[1]))).toEqual(
      newest,
    );
    for (const label of shown.slice(0, 6))
      expect(label).toMatch(new RegExp(`^#\\d+ · \\$10\\.50 · ${DATE}$`));
    expect(shown.slice(6)).toEqual([
      'Next ▶️',
      '• 📦 To ship',
      '💳 Awaiting payment',
      '🚚 Shipped',
      '📬 Delivered',
      '✖️ Cancelled',
      '⬅️ Back',
    ]);

    const next = await press(admin, 'Next ▶️');
    expect(labels(admin)[0]).toMatch(new RegExp(`^#${ids[0]} · `));
    const delivered = await press(admin, '📬 Delivered');
    expect(labels(admin)).toContain('• 📬 Delivered');
    // Every step edited the list's own message.
    const listMessage = admin.messageWith(toShip);
    for (const calls of [next, delivered])
      expect(calls.filter((c) => c.method === 'editMessageText').map((c) => c.payload.message_id)).toEqual([
        listMessage,
      ]);
  });

  it("shows an order's card: its lines, total, where it goes and its history", async () => {
    const { id } = await buyers.paidOrder([{ productId: 1, quantity: 2 }]);
    const [card] = textsOf(await openCard(merchant(), id));
    expect(card).toMatch(
      new RegExp(
        '^' +
          escape(`📦 Order #${id} — ✅ paid\nPlaced `) +
          `${DATE} UTC\n\n` +
          escape(
            '• Coffee 1 × 2 — $21.00\nTotal: $21.00\n\n🚚 Deliver to:\nAnna Petrova\n+44 20 7946 0958\n221B Baker Street, London\n\n🕓 History (UTC):\n',
          ) +
          `${DATE} — ⏳ reserving items\n${DATE} — 💳 awaiting payment\n${DATE} — ✅ paid$`,
      ),
    );
  });

  it('ships an order with a tracking note asked in the chat, then marks it delivered', async () => {
    const { id, buyer } = await buyers.paidOrder();
    const admin = merchant();
    await openCard(admin, id);
    expect(labels(admin)).toEqual(['🚚 Ship', '✖️ Cancel order', '⬅️ Back']);

    expect(lastText(await press(admin, '🚚 Ship'))).toBe(
      `🚚 Shipping order #${id}. A tracking note for the buyer (carrier, tracking number)? Send it, or ship without one. (/cancel to stop)`,
    );
    expect(lastText(await admin.send('x'.repeat(501)))).toBe(
      'That is 501 characters long: at most 500 fit. Please send a shorter one.',
    );
    const shipped = lastText(await admin.send('  DHL 00340434161094042557 '));

    expect(shipped).toMatch(
      new RegExp(`^✅ Order #${id} is shipped; the buyer is told\\.\\n\\n📦 Order #${id} — 🚚 shipped\\n`),
    );
    expect(shipped).toContain('📝 Tracking note: DHL 00340434161094042557');
    expect(shipped).toMatch(new RegExp(`— ✅ paid\\n${DATE} — 🚚 shipped$`));
    expect(labels(admin)).toEqual(['📬 Delivered', '✖️ Cancel order', '⬅️ Back']);
    expect(await buyers.asBuyer(id, buyer.accessToken)).toMatchObject({
      status: 'shipped',
      trackingNote: 'DHL 00340434161094042557',
    });

    const delivered = await press(admin, '📬 Delivered');
    expect(answerOf(delivered)).toBe(`✅ Order #${id} is delivered.`);
    expect(lastText(delivered)).toMatch(new RegExp(`^📦 Order #${id} — 📦 delivered\\n[^]*— 📦 delivered$`));
    expect(labels(admin)).toEqual(['⬅️ Back']);
    expect((await buyers.detail(id)).status).toBe('delivered');
  });

  it("cancels a paid order with the merchant's reason, and the buyer's payment is refunded", async () => {
    const { id, buyer } = await buyers.paidOrder();
    const admin = merchant();
    await openCard(admin, id);
    expect(lastText(await press(admin, '✖️ Cancel order'))).toBe(
      `✖️ Cancelling order #${id}: it is paid, so the buyer's payment will be refunded. Why? The buyer will read your reason. Send it, or cancel without one. (/cancel to stop)`,
    );
    expect(labels(admin)).toEqual(['⏭ Cancel without a reason', '↩️ Keep the order']);

    const cancelled = lastText(await admin.send('Sorry, this roast is sold out'));

    expect(cancelled).toMatch(
      new RegExp(`^✅ Order #${id} is cancelled; the buyer is told\\.\\n\\n📦 Order #${id} — ✖️ cancelled`),
    );
    expect(cancelled).toContain(
      "✖️ Cancelled by the shop.\nReason given: Sorry, this roast is sold out\n💸 It had been paid, so the buyer's payment is refunded.",
    );
    expect(labels(admin)).toEqual(['⬅️ Back']);
    expect(await buyers.asBuyer(id, buyer.accessToken)).toMatchObject({
      status: 'cancelled',
      cancelNote: 'Sorry, this roast is sold out',
    });
    await eventually(async () =>
      expect((await buyers.paymentsOf(id, buyer.accessToken)).map((p) => p.status)).toEqual(['refunded']),
    );
  });

  it('keeps the order when the merchant thinks better of cancelling it', async () => {
    const { id } = await buyers.paidOrder();
    const admin = merchant();
    await openCard(admin, id);
    await press(admin, '✖️ Cancel order');
    expect(lastText(await press(admin, '↩️ Keep the order'))).toBe(`Order #${id} stays as it was.`);
    expect((await buyers.detail(id)).status).toBe('paid');
  });
});

describe('moves the order no longer allows', () => {
  it('tells the admin a cancelled order cannot be shipped (the order service refused it)', async () => {
    const { id } = await buyers.paidOrder();
    const admin = merchant();
    await openCard(admin, id);
    await press(admin, '🚚 Ship');
    // Cancelled meanwhile, while the admin was asked for the note.
    expect((await buyers.cancel(id)).status).toBe(200);

    const refused = await press(admin, '⏭ Ship without a note');

    expect(lastText(refused)).toBe(`Order #${id} is cancelled: it cannot be shipped.`);
    expect(labels(admin)).toEqual(['📦 Open the order']);
    expect((await buyers.detail(id)).status).toBe('cancelled');
  });

  it('tells the admin, in Russian, that an order not shipped yet cannot be marked delivered', async () => {
    const { id } = await buyers.paidOrder();
    const admin = merchant('ru');
    await openCard(admin, id);
    const card = admin.messageWith(adminOrdersButton.build({ tab: 'paid', page: 1 }));

    const refused = await admin.tap(
      adminOrderActionButton.build({ order: id, action: 'deliver', tab: 'paid', page: 1 }),
      card,
    );

    expect(answerOf(refused)).toBe(`Заказ №${id} ещё не отправлен — сначала отправьте его.`);
    expect(lastText(refused)).toMatch(new RegExp(`^📦 Заказ №${id} — ✅ оплачен\\nОформлен `));
    expect((await buyers.detail(id)).status).toBe('paid');
  });

  it('tells the admin a delivered order can no longer be cancelled', async () => {
    const { id } = await buyers.paidOrder();
    expect((await buyers.ship(id)).status).toBe(200);
    const admin = merchant();
    await openCard(admin, id);
    await press(admin, '✖️ Cancel order');
    expect((await buyers.deliver(id)).status).toBe(200);

    expect(lastText(await admin.send('Changed my mind'))).toBe(
      `Order #${id} is delivered: it can no longer be cancelled.`,
    );
    expect((await buyers.detail(id)).status).toBe('delivered');
  });

  it('lets one of two admins pressing Ship at once ship the order, and tells the other it already is', async () => {
    const { id } = await buyers.paidOrder();
    const email = uniqueEmail('second-admin');
    await h.deps.auth.register(email, 'a good password');
    await grantAdmin(h.shop.auth.orm.em.fork(), email);
    const second = createChat(h.telegram, () => h.bot, 'en');
    await second.send('/login');
    await second.send(email);
    await second.send('a good password');
    const first = merchant();
    const skips: string[] = [];
    for (const admin of [first, second]) {
      await openCard(admin, id);
      await press(admin, '🚚 Ship');
      skips.push(admin.lastButtons().find((b) => b.text === '⏭ Ship without a note')!.callback_data);
    }

    // Both replies are out before either press is done with, whichever order the two end in.
    h.telegram.holdAnswers(
      (call) => call.method === 'sendMessage' && [first.id, second.id].includes(Number(call.payload.chat_id)),
      2,
    );
    const answers = await Promise.all([first.tap(skips[0]!), second.tap(skips[1]!)]);

    const told = answers.map(lastText).sort();
    expect(told[0]).toBe(`Order #${id} is already shipped.`);
    expect(told[1]).toMatch(new RegExp(`^✅ Order #${id} is shipped; the buyer is told\\.`));
    const shippedOnce = (await buyers.detail(id)).statusHistory.filter((entry) => entry.status === 'shipped');
    expect(shippedOnce).toHaveLength(1);
  });
});

describe('anyone but an admin', () => {
  it('gets the ordinary unknown-command reply to /stats', async () => {
    const anna = createChat(h.telegram, () => h.bot, 'en');
    expect(textsOf(await anna.send('/stats'))).toEqual(textsOf(await anna.send('/nonsense')));
    expect(textsOf(await anna.send('/stats'))).toEqual([
      'I do not know that command. /help lists the ones I do.',
    ]);
    expect(textsOf(await createChat(h.telegram, () => h.bot, 'ru').send('/stats'))).toEqual([
      'Такой команды я не знаю. /help — список команд.',
    ]);
  });

  it('changes nothing and sees nothing of any order with forged merchant order buttons', async () => {
    const { id } = await buyers.paidOrder();
    const anna = createChat(h.telegram, () => h.bot, 'en');
    await anna.send('/start');
    const forged = [
      adminOrdersButton.build({ tab: 'paid', page: 1 }),
      adminOrdersButton.build({ tab: 'cancelled', page: 2 }),
      adminOrderCardButton.build({ order: id, tab: 'paid', page: 1 }),
      adminOrderActionButton.build({ order: id, action: 'ship', tab: 'paid', page: 1 }),
      adminOrderActionButton.build({ order: id, action: 'deliver', tab: 'paid', page: 1 }),
      adminOrderActionButton.build({ order: id, action: 'cancel', tab: 'paid', page: 1 }),
      adminStatsButton.build(),
      adminFormButton.build({ tag: 'abcdefgh', choice: 0 }),
    ];
    const start = anna.messageWith(button.categories);
    for (const data of forged) {
      const calls = await anna.tap(data, start);
      expect(
        calls.map((c) => c.method),
        data,
      ).toEqual(['answerCallbackQuery']);
      expect(answerOf(calls)).toBe('This button belongs to an older message and no longer works.');
    }
    expect((await buyers.detail(id)).statusHistory.map((entry) => entry.status)).toEqual([
      'pending',
      'awaiting_payment',
      'paid',
    ]);
    expect(await h.redis.keys(`${h.keyPrefix}conversation:${anna.id}*`)).toEqual([]);
  });
});

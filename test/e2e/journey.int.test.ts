/**
 * The whole journey as a person lives it: the five services, the bot and the Telegram sandbox run
 * as real processes on the local PostgreSQL, Redis and RabbitMQ, and the test types and taps
 * through the sandbox's chat API, exactly what the web chat does.
 */
import { uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addToCart,
  buyNow,
  cardPhoto,
  checkoutCart,
  chooseQuantity,
  confirmCheckout,
  DELIVERY,
  openCheckout,
  openProduct,
  registerInChat,
  typeDelivery,
} from '../support/chat-steps.ts';
import { SandboxChat } from '../support/sandbox.ts';
import { startShop, type Shop } from '../support/shop.ts';

// Orders above $100 are declined by the simulated provider in this shop.
const DECLINE_ABOVE_CENTS = 10_000;
const SLOW = 30_000;

let shop: Shop;
beforeAll(async () => {
  shop = await startShop({
    suite: 'journey',
    env: { PAYMENT_DECLINE_ABOVE_CENTS: String(DECLINE_ABOVE_CENTS) },
  });
}, 120_000);
afterAll(async () => {
  await shop.close();
});

/** What the catalog's REST API says can still be bought of each book, by name. */
async function booksInStock(): Promise<Map<string, number>> {
  const read = async <T>(path: string) => (await (await fetch(`${shop.url('catalog')}${path}`)).json()) as T;
  const { items: categories } = await read<{ items: { id: number; slug: string }[] }>('/categories');
  const books = categories.find((category) => category.slug === 'books');
  const { items } = await read<{ items: { name: string; stock: number }[] }>(
    `/products?category=${books?.id}&limit=50`,
  );
  return new Map(items.map((product) => [product.name, product.stock]));
}

async function ordersListed(chat: SandboxChat): Promise<string[]> {
  await chat.send('/orders');
  await chat.waitFor(/Your orders, newest first/);
  return (await chat.buttons()).filter((label) => label.startsWith('#'));
}

// Whole-system steps on a shared 2-core machine: a restart or a payment can take a while.
describe('the shop, end to end through the Telegram sandbox', { timeout: 90_000 }, () => {
  it('takes a new Telegram user, who never registers, from /start to a paid order of three products from the cart', async () => {
    const stockBefore = await booksInStock();
    const erik = await SandboxChat.create(shop.sandbox, 'Erik');

    // One tap: /start asks for nothing, the Telegram account is the shop account.
    await erik.send('/start');
    expect((await erik.waitFor(/Welcome to the shop/)).text).toContain(
      'your Telegram account is all you need, no registration',
    );

    // Three books from the catalog, each card with its photo; the first two of one of them.
    await openProduct(erik, /^Books/, /^War and Peace · /);
    const photo = await cardPhoto(erik, 'War and Peace');
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toMatch(/^image\//);
    await chooseQuantity(erik, 2);
    expect(await addToCart(erik)).toBe('🛒 Added 2 × War and Peace. In your cart: 2.');
    // The first thing that needed an account made one, known by the Telegram id alone.
    const accounts = await shop.query<{ id: string; email: string | null; first_name: string }>(
      'auth',
      'select id, email, first_name from users where telegram_id = $1',
      [erik.user.id],
    );
    expect(accounts).toEqual([{ id: expect.any(String), email: null, first_name: 'Erik' }]);

    await openProduct(erik, /^Books/, /^The Master and Margarita · /);
    expect((await cardPhoto(erik, 'The Master and Margarita')).status).toBe(200);
    expect(await addToCart(erik)).toBe('🛒 Added 1 × The Master and Margarita. In your cart: 1.');
    await openProduct(erik, /^Books/, /^Cooking for Beginners · /);
    expect((await cardPhoto(erik, 'Cooking for Beginners')).status).toBe(200);
    expect(await addToCart(erik)).toBe('🛒 Added 1 × Cooking for Beginners. In your cart: 1.');

    await erik.send('/cart');
    expect((await erik.waitFor(/^🛒 Your cart:/)).text).toBe(
      [
        '🛒 Your cart:',
        '1. War and Peace × 2 — $49.98',
        '2. The Master and Margarita × 1 — $18.99',
        '3. Cooking for Beginners × 1 — $21.99',
        'Total: $90.96',
      ].join('\n'),
    );

    // The first checkout asks where to deliver, then sums it all up.
    expect(await checkoutCart(erik)).toBe('delivery');
    await typeDelivery(erik);
    expect((await erik.waitFor(/Confirm\?$/)).text).toBe(
      [
        'Your order:',
        '• War and Peace × 2 ($24.99 each) — $49.98',
        '• The Master and Margarita × 1 ($18.99 each) — $18.99',
        '• Cooking for Beginners × 1 ($21.99 each) — $21.99',
        `Deliver to: ${DELIVERY.name}, ${DELIVERY.phone}`,
        DELIVERY.address,
        'Total: $90.96',
        'Confirm?',
      ].join('\n'),
    );
    const orderId = await confirmCheckout(erik, '$90.96');

    const paid = await erik.waitFor(new RegExp(`✅ Order #${orderId} is paid\\.`), SLOW);
    expect(paid.text).toBe(
      [
        `✅ Order #${orderId} is paid.`,
        '',
        '• War and Peace × 2 — $49.98',
        '• The Master and Margarita × 1 — $18.99',
        '• Cooking for Beginners × 1 — $21.99',
        'Total: $90.96',
      ].join('\n'),
    );
    expect(await ordersListed(erik)).toEqual([`#${orderId} · ✅ paid · $90.96`]);
    await erik.press(`#${orderId} · ✅ paid · $90.96`);
    expect((await erik.waitFor(new RegExp(`^Order #${orderId} — `))).text).toBe(
      [
        `Order #${orderId} — ✅ paid`,
        '• War and Peace × 2 — $49.98',
        '• The Master and Margarita × 1 — $18.99',
        '• Cooking for Beginners × 1 — $21.99',
        'Total: $90.96',
        'Payment: succeeded',
      ].join('\n'),
    );

    // The order is the Telegram account's, the cart is empty, and the books are sold.
    const [order] = await shop.query<{ user_id: string }>(
      'order',
      'select user_id from orders where id = $1',
      [orderId],
    );
    expect(order?.user_id).toBe(accounts[0]?.id);
    await erik.send('/cart');
    await erik.waitFor(/Your cart is empty/);
    const stockAfter = await booksInStock();
    for (const [name, bought] of [
      ['War and Peace', 2],
      ['The Master and Margarita', 1],
      ['Cooking for Beginners', 1],
    ] as const)
      expect(stockAfter.get(name), name).toBe(stockBefore.get(name)! - bought);
    expect((await shop.sandbox.callbacks(erik.user.id)).filter((c) => !c.answered)).toEqual([]);
  });

  it('takes a user who registers with an e-mail from /start to a paid order, told in the same chat', async () => {
    const anna = await SandboxChat.create(shop.sandbox, 'Anna');
    await registerInChat(anna, uniqueEmail('anna'));
    // The bot deletes the password from the chat as soon as it has read it.
    expect((await anna.messages()).some((m) => m.text === 'a good password')).toBe(false);

    await openCheckout(anna, /^Electronics/, /^USB-C Charger 65 W · /, 2);
    const orderId = await confirmCheckout(anna, '$79.98');
    expect((await anna.waitFor(/I am reserving the items/)).text).toContain('total $79.98');

    await anna.waitFor(new RegExp(`✅ Order #${orderId} is paid\\.`), SLOW);
    expect(await ordersListed(anna)).toContain(`#${orderId} · ✅ paid · $79.98`);
    await anna.press(`#${orderId} · ✅ paid · $79.98`);
    await anna.waitFor(/USB-C Charger 65 W × 2 — \$79\.98[\s\S]*Payment: succeeded/);

    // Every button the user pressed was answered, so no spinner was left turning.
    expect((await shop.sandbox.callbacks(anna.user.id)).filter((c) => !c.answered)).toEqual([]);
  });

  it('tells the buyer when the payment is declined, and /orders shows it failed', async () => {
    const boris = await SandboxChat.create(shop.sandbox, 'Boris');
    await registerInChat(boris, uniqueEmail('boris'));
    await openCheckout(boris, /^Electronics/, /^Smartwatch · /);
    const orderId = await confirmCheckout(boris, '$199.00');

    await boris.waitFor(new RegExp(`❌ Payment for order #${orderId} failed\\.`), SLOW);
    expect(await ordersListed(boris)).toContain(`#${orderId} · ❌ payment failed · $199.00`);
  });

  it('continues a checkout where the user left it after the bot process is killed and restarted', async () => {
    const clara = await SandboxChat.create(shop.sandbox, 'Clara');
    await registerInChat(clara, uniqueEmail('clara'));
    await openProduct(clara, /^Electronics/, /^Portable Speaker · /);
    await chooseQuantity(clara, 3);
    expect(await buyNow(clara)).toBe('delivery');
    await clara.send(DELIVERY.name);
    await clara.waitFor(/A phone number for the courier/);

    await shop.kill('bot');
    await shop.start('bot');

    await clara.send(DELIVERY.phone);
    await clara.waitFor(/And the delivery address/, SLOW);
    await clara.send(DELIVERY.address);
    const orderId = await confirmCheckout(clara, '$164.70');
    expect(orderId).toBeGreaterThan(0);
  });

  it('makes one order when Confirm is tapped twice', async () => {
    const dmitri = await SandboxChat.create(shop.sandbox, 'Dmitri');
    await registerInChat(dmitri, uniqueEmail('dmitri'));
    await openCheckout(dmitri, /^Electronics/, /^USB-C Charger 65 W · /);
    const summary = await dmitri.waitFor(/Confirm\?/);
    const data = summary.replyMarkup?.inline_keyboard
      ?.flat()
      .find((b) => b.text === '✅ Confirm')?.callback_data;
    expect(data).toBeDefined();

    // Both taps reach Telegram before the bot has answered the first.
    await Promise.all([
      shop.sandbox.press(dmitri.user.id, summary.messageId, data!),
      shop.sandbox.press(dmitri.user.id, summary.messageId, data!),
    ]);
    await dmitri.waitFor(/Order #\d+ placed/);
    await dmitri.waitFor(/✅ Order #\d+ is paid\./, SLOW);
    expect(await ordersListed(dmitri)).toHaveLength(1);
  });
});

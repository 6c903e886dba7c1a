/**
 * The whole journey as a person lives it: the five services, the bot and the Telegram sandbox run
 * as real processes on the local PostgreSQL, Redis and RabbitMQ, and the test types and taps
 * through the sandbox's chat API, exactly what the web chat does.
 */
import { uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buyNow,
  chooseQuantity,
  confirmCheckout,
  DELIVERY,
  openCheckout,
  openProduct,
  registerInChat,
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

async function ordersListed(chat: SandboxChat): Promise<string[]> {
  await chat.send('/orders');
  await chat.waitFor(/Your orders, newest first/);
  return (await chat.buttons()).filter((label) => label.startsWith('#'));
}

// Whole-system steps on a shared 2-core machine: a restart or a payment can take a while.
describe('the shop, end to end through the Telegram sandbox', { timeout: 90_000 }, () => {
  it('takes a new user from /start to a paid order, told in the same chat', async () => {
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

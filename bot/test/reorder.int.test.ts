/**
 * Order again, under notification's message that an invoice expired: the buyer's own order goes
 * back in their cart and the cart is shown; anyone else's order, or forged data, changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reorderButton } from '../src/buttons.ts';
import { answerOf, createChat, textsOf } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { asBuyer, invoicedOrder, PROVIDER_ENV } from './support/invoices.ts';

let h: Harness;
let tea: number;
let cake: number;
beforeAll(async () => {
  h = await startHarness('reorder', { paymentEnv: PROVIDER_ENV });
  tea = await h.shop.addProduct({ name: 'Reorder tea', priceCents: 400 });
  cake = await h.shop.addProduct({ name: 'Reorder cake', priceCents: 950 });
});
afterAll(async () => {
  await h.close();
});

// The expiry message is notification's: the bot never sent it, so a press names its id.
const EXPIRY_MESSAGE_ID = 77;
const buyer = () => createChat(h.telegram, () => h.bot, 'en');
const cartOf = async (telegramId: number) =>
  (await asBuyer(h, telegramId, (token) => h.deps.orders.cart(token, 'en'))).items.map((line) => ({
    name: line.name,
    quantity: line.quantity,
  }));

describe('Order again', () => {
  it("puts the buyer's own order back in the cart and shows the cart below, the expiry message left as it was", async () => {
    const anna = buyer();
    const { id } = await invoicedOrder(h, anna.id, tea, 2);
    await asBuyer(h, anna.id, (token) => h.deps.orders.cancel(token, String(id)));

    const calls = await anna.tap(reorderButton.build({ order: id }), EXPIRY_MESSAGE_ID);

    expect(await cartOf(anna.id)).toEqual([{ name: 'Reorder tea', quantity: 2 }]);
    expect(answerOf(calls)).toBe(`🛒 1 product of order #${id} is back in your cart.`);
    expect(calls.filter((call) => call.method === 'sendMessage').map((call) => call.payload.text)).toEqual([
      '🛒 Your cart:\n1. Reorder tea × 2 — $8.00\nTotal: $8.00',
    ]);
    expect(calls.some((call) => call.payload.message_id === EXPIRY_MESSAGE_ID)).toBe(false);
    expect(anna.lastButtons().map((b) => b.text)).toContain('✅ Checkout');
  });

  it('pressed twice, leaves the cart as the first press made it; a line already bigger stays', async () => {
    const anna = buyer();
    const { id } = await invoicedOrder(h, anna.id, tea, 2);
    await asBuyer(h, anna.id, (token) => h.deps.orders.cancel(token, String(id)));
    await asBuyer(h, anna.id, (token) => h.deps.orders.setCartQuantity(token, String(cake), 3, 'en'));

    await anna.tap(reorderButton.build({ order: id }), EXPIRY_MESSAGE_ID);
    await anna.tap(reorderButton.build({ order: id }), EXPIRY_MESSAGE_ID);

    expect(await cartOf(anna.id)).toEqual(
      expect.arrayContaining([
        { name: 'Reorder tea', quantity: 2 },
        { name: 'Reorder cake', quantity: 3 },
      ]),
    );
    expect(await cartOf(anna.id)).toHaveLength(2);
  });

  it("refuses someone else's order politely, and nobody's cart changes", async () => {
    // Any well-formed order number is tried: the order service says whose it is.
    const anna = buyer();
    const boris = buyer();
    const { id } = await invoicedOrder(h, anna.id, tea, 2);
    await asBuyer(h, anna.id, (token) => h.deps.orders.cancel(token, String(id)));

    const calls = await boris.tap(reorderButton.build({ order: id }), EXPIRY_MESSAGE_ID);

    expect(answerOf(calls)).toBe('That order is not one of yours, so nothing was added to your cart.');
    expect(textsOf(calls)).toEqual([]);
    expect(await cartOf(boris.id)).toEqual([]);
    expect(await cartOf(anna.id)).toEqual([]);
  });

  it('leaves out and names a product no longer sold', async () => {
    const gone = await h.shop.addProduct({ name: 'Seasonal tea', priceCents: 500 });
    const anna = buyer();
    const { id } = await invoicedOrder(h, anna.id, gone, 1);
    await asBuyer(h, anna.id, (token) => h.deps.orders.cancel(token, String(id)));
    await h.shop.deleteProduct(gone);

    const calls = await anna.tap(reorderButton.build({ order: id }), EXPIRY_MESSAGE_ID);

    expect(answerOf(calls)).toBe(
      `None of the products of order #${id} are sold any more, so nothing was added to your cart.`,
    );
    expect(await cartOf(anna.id)).toEqual([]);
  });

  it.each(['ro:-1', 'ro:0', 'ro:0x1f', 'ro:1:2', `ro:${'1'.repeat(40)}`])(
    'treats forged data %s as an old button: nothing happens',
    async (data) => {
      const anna = buyer();
      const calls = await anna.tap(data, EXPIRY_MESSAGE_ID);
      expect(answerOf(calls)).toBe('This button belongs to an older message and no longer works.');
      expect(calls.map((call) => call.method)).toEqual(['answerCallbackQuery']);
    },
  );
});

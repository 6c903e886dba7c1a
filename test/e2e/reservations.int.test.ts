/**
 * Stock reserved at order time and never sold twice, through the real catalog, order, payment and
 * notification services on one event exchange (see test/support/stock-shop.ts): what the buyers
 * see in the API and in their chats, and what the catalog's books say.
 */
import { eventually } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECLINE_ABOVE_CENTS, startStockShop, type StockShop } from '../support/stock-shop.ts';

let shop: StockShop;
beforeAll(async () => {
  shop = await startStockShop('e2e');
});
afterAll(() => shop.close());

/** Waits until the buyer's chat has received a message matching `pattern`; returns all it received. */
const toldEventually = (who: { chatId: number }, pattern: RegExp) =>
  eventually(() => {
    const texts = shop.telegram.callsTo(who.chatId).map((call) => call.text);
    expect(
      texts.some((text) => pattern.test(text)),
      `${pattern} among ${JSON.stringify(texts)}`,
    ).toBe(true);
    return texts;
  }, 15_000);

describe('the last unit', { timeout: 90_000 }, () => {
  it('goes to exactly one of 20 buyers ordering it at the same moment; the other 19 are told it ran out', async () => {
    const productId = await shop.product('Last Lamp', 1);
    const buyers = await Promise.all(Array.from({ length: 20 }, () => shop.buyer()));
    const samples: number[] = [];
    const race = { on: true };
    const sampling = (async () => {
      while (race.on) {
        samples.push(await shop.shownStock(productId));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    const placed = await Promise.all(buyers.map((who) => shop.placeOrder(who, [{ productId, quantity: 1 }])));

    expect(placed.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    const orders = placed.map((answer, index) => ({ who: buyers[index]!, id: answer.body.id }));
    const final = await eventually(async () => {
      const found = await Promise.all(orders.map(({ who, id }) => shop.orderOf(who, id)));
      const open = found.filter((one) => one.status !== 'paid' && one.status !== 'cancelled');
      if (open.length > 0) throw new Error(`${open.length} orders not final yet`);
      return found;
    }, 60_000);
    race.on = false;
    await sampling;

    expect(final.filter((one) => one.status === 'paid')).toHaveLength(1);
    const cancelled = final.filter((one) => one.status === 'cancelled');
    expect(cancelled).toHaveLength(19);
    expect(cancelled.every((one) => one.cancelReason === 'out_of_stock')).toBe(true);
    expect(await shop.units(productId)).toEqual({ stock: 0, reserved: 0 });
    expect(await shop.shownStock(productId)).toBe(0);
    expect(Math.min(...samples)).toBe(0);
    expect(samples.every((stock) => stock === 0 || stock === 1)).toBe(true);
    // One charge in all, for the winner; the others were never charged.
    const winner = orders[final.findIndex((one) => one.status === 'paid')]!;
    expect(shop.charges.charges.filter((id) => orders.some((order) => order.id === id))).toEqual([winner.id]);
    expect(await shop.payments(winner.id)).toEqual([{ status: 'succeeded' }]);
    // Each buyer is told, once: the winner it is paid, the others what ran short.
    await toldEventually(winner.who, new RegExp(`^✅ Order #${winner.id} is paid\\.`));
    for (const { who, id } of orders.filter((order) => order !== winner)) {
      const texts = await toldEventually(
        who,
        new RegExp(`^❌ Order #${id} is cancelled: not enough in stock\\.`),
      );
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain('• Last Lamp: none left');
    }
  });
});

describe('an order of several lines', () => {
  it('reserves none of them when one is short, and names only that one to the buyer', async () => {
    const [plenty, scarce] = [await shop.product('Plenty Pens', 10), await shop.product('Scarce Scarves', 2)];
    const [anna, olga] = [await shop.buyer('en'), await shop.buyer('ru')];
    const held = shop.charges.holdNext();
    const lines = [
      { productId: plenty, quantity: 4 },
      { productId: scarce, quantity: 2 },
    ];

    // Both fit the stock when they are placed; only one can be reserved.
    const placed = await Promise.all([shop.placeOrder(anna, lines), shop.placeOrder(olga, lines)]);
    const charged = await held.reached;

    const [winner, loser] =
      placed[0].body.id === charged
        ? [
            { who: anna, id: placed[0].body.id },
            { who: olga, id: placed[1].body.id },
          ]
        : [
            { who: olga, id: placed[1].body.id },
            { who: anna, id: placed[0].body.id },
          ];
    expect(await shop.orderIs(loser.who, loser.id, 'cancelled')).toMatchObject({
      cancelReason: 'out_of_stock',
    });
    // The loser holds nothing of the line it could have had.
    expect(await shop.units(plenty)).toEqual({ stock: 10, reserved: 4 });
    expect(await shop.units(scarce)).toEqual({ stock: 2, reserved: 2 });
    const told = loser.who === anna ? /not enough in stock/ : /товара не хватило/;
    const [text] = await toldEventually(loser.who, told);
    expect(text).toMatch(/• Scarce Scarves: (none left|не осталось)/);
    expect(text).not.toMatch(/• Plenty Pens: /);
    expect(shop.charges.charges).not.toContain(loser.id);
    held.release();
    await shop.orderIs(winner.who, winner.id, 'paid');
    await eventually(async () => expect(await shop.units(plenty)).toEqual({ stock: 6, reserved: 0 }));
    expect(await shop.units(scarce)).toEqual({ stock: 0, reserved: 0 });
  });

  it('holds every line until it is paid, then sells them', async () => {
    const [pens, pads] = [await shop.product('Held Pens', 10), await shop.product('Held Pads', 5)];
    const anna = await shop.buyer();
    const held = shop.charges.holdNext();

    const { body } = await shop.placeOrder(anna, [
      { productId: pens, quantity: 4 },
      { productId: pads, quantity: 5 },
    ]);
    await held.reached;

    expect(await shop.orderIs(anna, body.id, 'awaiting_payment')).toMatchObject({
      reservedUntil: expect.any(String),
    });
    expect(await shop.units(pens)).toEqual({ stock: 10, reserved: 4 });
    expect(await shop.shownStock(pads)).toBe(0);
    held.release();
    await shop.orderIs(anna, body.id, 'paid');
    await eventually(async () => expect(await shop.units(pens)).toEqual({ stock: 6, reserved: 0 }));
    expect(await shop.units(pads)).toEqual({ stock: 0, reserved: 0 });
  });
});

describe('a cart checkout', () => {
  it('is reserved, charged and sold like an order of items; what it holds is not offered to the next cart', async () => {
    const [mugs, lids] = [await shop.product('Cart Mugs', 3), await shop.product('Cart Lids', 1)];
    const [anna, boris] = [await shop.buyer(), await shop.buyer()];
    const held = shop.charges.holdNext();

    const placed = await shop.checkoutCart(anna, [
      { productId: mugs, quantity: 2 },
      { productId: lids, quantity: 1 },
    ]);
    expect(placed.status).toBe(201);
    expect(await held.reached).toBe(placed.body.id);
    expect(await shop.orderIs(anna, placed.body.id, 'awaiting_payment')).toMatchObject({
      reservedUntil: expect.any(String),
    });
    expect(await shop.units(mugs)).toEqual({ stock: 3, reserved: 2 });
    expect(await shop.shownStock(lids)).toBe(0);
    // The last lid is held for Anna: Boris's cart cannot have it.
    expect((await shop.checkoutCart(boris, [{ productId: lids, quantity: 1 }])).status).toBe(409);

    held.release();
    await shop.orderIs(anna, placed.body.id, 'paid');
    await eventually(async () => expect(await shop.units(mugs)).toEqual({ stock: 1, reserved: 0 }));
    expect(await shop.units(lids)).toEqual({ stock: 0, reserved: 0 });
    await toldEventually(anna, new RegExp(`^✅ Order #${placed.body.id} is paid\\.`));
  });

  it('is released when its buyer cancels it', async () => {
    const productId = await shop.product('Cart Candle', 2);
    const anna = await shop.buyer();
    const held = shop.charges.holdNext();
    const { body } = await shop.checkoutCart(anna, [{ productId, quantity: 2 }]);
    await held.reached;
    await shop.orderIs(anna, body.id, 'awaiting_payment');
    expect(await shop.units(productId)).toEqual({ stock: 2, reserved: 2 });

    expect((await shop.cancel(anna, body.id)).status).toBe(200);

    await eventually(async () => expect(await shop.units(productId)).toEqual({ stock: 2, reserved: 0 }));
    held.release();
    await eventually(async () => expect(await shop.payments(body.id)).toEqual([{ status: 'refunded' }]));
  });
});

describe('a reservation released', () => {
  it('when the payment fails: the units are back and the buyer is told why', async () => {
    const productId = await shop.product('Dear Drum', 3, DECLINE_ABOVE_CENTS + 1);
    const anna = await shop.buyer();

    const { body } = await shop.placeOrder(anna, [{ productId, quantity: 1 }]);

    await shop.orderIs(anna, body.id, 'payment_failed');
    await eventually(async () => expect(await shop.units(productId)).toEqual({ stock: 3, reserved: 0 }));
    await toldEventually(anna, new RegExp(`^❌ Payment for order #${body.id} failed\\.`));
  });

  it('when the buyer cancels: the units are back, and a payment taken meanwhile is refunded', async () => {
    const productId = await shop.product('Cancelled Cup', 2);
    const anna = await shop.buyer();
    const held = shop.charges.holdNext();
    const { body } = await shop.placeOrder(anna, [{ productId, quantity: 2 }]);
    await held.reached;
    await shop.orderIs(anna, body.id, 'awaiting_payment');

    expect((await shop.cancel(anna, body.id)).status).toBe(200);

    await eventually(async () => expect(await shop.units(productId)).toEqual({ stock: 2, reserved: 0 }));
    await toldEventually(anna, new RegExp(`^✖️ Order #${body.id} is cancelled, as you asked\\.`));
    held.release();
    await eventually(async () => expect(await shop.payments(body.id)).toEqual([{ status: 'refunded' }]));
    await toldEventually(
      anna,
      new RegExp(`^💸 The payment of \\$20\\.00 for order #${body.id} was refunded\\.`),
    );
    expect(await shop.orderOf(anna, body.id)).toMatchObject({ status: 'cancelled', cancelReason: 'buyer' });
    expect(await shop.units(productId)).toEqual({ stock: 2, reserved: 0 });
  });
});

describe('a reservation that expires while its payment is in flight', () => {
  it('gets the payment refunded when the charge went through first', async () => {
    const productId = await shop.product('Slow Sofa', 1);
    const anna = await shop.buyer();
    const held = shop.charges.holdNext();
    const { body } = await shop.placeOrder(anna, [{ productId, quantity: 1 }]);
    await held.reached;
    await shop.orderIs(anna, body.id, 'awaiting_payment');

    await shop.expire(body.id);
    held.release();

    expect(await shop.orderIs(anna, body.id, 'cancelled')).toMatchObject({ cancelReason: 'expired' });
    await eventually(async () => expect(await shop.payments(body.id)).toEqual([{ status: 'refunded' }]));
    await eventually(async () => expect(await shop.units(productId)).toEqual({ stock: 1, reserved: 0 }));
    await toldEventually(anna, new RegExp(`^⌛ Order #${body.id} is cancelled: it was not paid in time\\.`));
    await toldEventually(
      anna,
      new RegExp(`^💸 The payment of \\$10\\.00 for order #${body.id} was refunded\\.`),
    );
    expect(shop.told(anna).some((text) => text.includes('is paid'))).toBe(false);
  });

  it('refuses the charge when the cancellation reaches payment first (the charge was waiting to be retried)', async () => {
    const productId = await shop.product('Flaky Fan', 1);
    const anna = await shop.buyer();
    const held = shop.charges.holdNext({ fail: true });
    const { body } = await shop.placeOrder(anna, [{ productId, quantity: 1 }]);
    await held.reached;
    await shop.orderIs(anna, body.id, 'awaiting_payment');

    await shop.expire(body.id);
    held.release();

    expect(await shop.orderIs(anna, body.id, 'cancelled')).toMatchObject({ cancelReason: 'expired' });
    // The retried charge found the cancellation recorded and asked the provider nothing.
    await eventually(() =>
      expect(
        shop.logs.filter(
          (line) =>
            line.orderId === body.id && line.msg === 'order was cancelled before its charge; not charged',
        ),
      ).toHaveLength(1),
    );
    expect(shop.charges.charges.filter((id) => id === body.id)).toHaveLength(1);
    expect(await shop.payments(body.id)).toEqual([]);
    await toldEventually(anna, new RegExp(`^⌛ Order #${body.id} is cancelled: it was not paid in time\\.`));
    await eventually(async () => expect(await shop.units(productId)).toEqual({ stock: 1, reserved: 0 }));
    // The unit it held can be bought again.
    const second = await shop.buyer();
    const next = await shop.placeOrder(second, [{ productId, quantity: 1 }]);
    await shop.orderIs(second, next.body.id, 'paid');
    await eventually(async () => expect(await shop.units(productId)).toEqual({ stock: 0, reserved: 0 }));
  });
});

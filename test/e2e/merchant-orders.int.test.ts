/**
 * The merchant runs paid orders, through the real catalog, order, payment and notification
 * services on one event exchange (see test/support/stock-shop.ts): cancelling a paid order
 * refunds it and puts its units back once, however often the news travels; shipping and
 * delivering reach the buyer in their language.
 */
import { createEvent } from '@shop/shared';
import { eventually } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStockShop, type StockShop } from '../support/stock-shop.ts';

let shop: StockShop;
beforeAll(async () => {
  shop = await startStockShop('merchant');
});
afterAll(() => shop.close());

/** Waits until the buyer's chat has received a message matching `pattern`; returns that message. */
const toldEventually = (who: Parameters<StockShop['told']>[0], pattern: RegExp) =>
  eventually(() => {
    const texts = shop.told(who);
    const text = texts.find((one) => pattern.test(one));
    expect(text, `${pattern} among ${JSON.stringify(texts)}`).toBeDefined();
    return text!;
  }, 15_000);

describe('a paid order cancelled by the merchant', { timeout: 60_000 }, () => {
  it('is refunded once, its units come back once, and the buyer is told why, however often the news travels', async () => {
    const productId = await shop.product('Merchant Mug', 5);
    const anna = await shop.buyer('en');
    const { body } = await shop.placeOrder(anna, [{ productId, quantity: 2 }]);
    await shop.orderIs(anna, body.id, 'paid');
    await eventually(async () => expect(await shop.units(productId)).toEqual({ stock: 3, reserved: 0 }));

    const cancelled = await shop.merchant.cancel(body.id, 'Sorry, this mug cracked in the warehouse');
    const again = await shop.merchant.cancel(body.id, 'Pressed twice');

    expect(cancelled.status).toBe(200);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      error: { code: 'invalid_transition', details: { status: 'cancelled' } },
    });
    expect(await shop.orderOf(anna, body.id)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'merchant',
    });
    // The relay publishes the cancellation again (a crash before it marked it sent), and a copy
    // comes under a new id.
    const [announced] = await shop.ordersEvents(body.id, 'order.cancelled');
    expect(announced).toMatchObject({ data: { reason: 'merchant', wasPaid: true } });
    const copy = createEvent('order.cancelled', announced!.data);
    await shop.publish(announced!);
    await shop.publish(copy);

    await eventually(async () => expect(await shop.handledByCatalogAndPayment(copy.id)).toBe(true));
    await eventually(async () => expect(await shop.payments(body.id)).toEqual([{ status: 'refunded' }]));
    expect(await shop.refundsAnnounced(body.id)).toBe(1);
    expect(await shop.units(productId)).toEqual({ stock: 5, reserved: 0 });
    expect(await shop.shownStock(productId)).toBe(5);
    const told = await toldEventually(anna, new RegExp(`^✖️ Order #${body.id} was cancelled by the shop\\.`));
    expect(told.split('\n').slice(0, 3)).toEqual([
      `✖️ Order #${body.id} was cancelled by the shop.`,
      'Reason: Sorry, this mug cracked in the warehouse',
      'The payment will be refunded.',
    ]);
    await toldEventually(
      anna,
      new RegExp(`^💸 The payment of \\$20\\.00 for order #${body.id} was refunded\\.`),
    );
    expect(shop.told(anna).filter((text) => text.startsWith('✖️'))).toHaveLength(1);
    expect(shop.told(anna).filter((text) => text.startsWith('💸'))).toHaveLength(1);
  });
});

describe('a paid order shipped and delivered', { timeout: 60_000 }, () => {
  it('tells a Russian buyer it is on its way with the tracking note, then that it arrived; its units stay sold', async () => {
    const productId = await shop.product('Shipped Samovar', 2);
    const olga = await shop.buyer('ru');
    const { body } = await shop.placeOrder(olga, [{ productId, quantity: 1 }]);
    await shop.orderIs(olga, body.id, 'paid');

    expect((await shop.merchant.ship(body.id, 'СДЭК 1234567890')).status).toBe(200);
    const shipped = await toldEventually(olga, new RegExp(`^📦 Заказ №${body.id} отправлен\\.`));
    expect(shipped.split('\n')[1]).toBe('Отслеживание: СДЭК 1234567890');
    expect((await shop.merchant.deliver(body.id)).status).toBe(200);
    await toldEventually(olga, new RegExp(`^🎉 Заказ №${body.id} доставлен\\.`));

    expect((await shop.merchant.cancel(body.id)).status).toBe(409);
    expect(await shop.orderOf(olga, body.id)).toMatchObject({ status: 'delivered' });
    await eventually(async () => expect(await shop.units(productId)).toEqual({ stock: 1, reserved: 0 }));
    expect(await shop.payments(body.id)).toEqual([{ status: 'succeeded' }]);
  });
});

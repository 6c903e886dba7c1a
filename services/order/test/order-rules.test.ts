import { createHash } from 'node:crypto';
import { AppError } from '@shop/shared';
import { describe, expect, it } from 'vitest';
import type { CatalogProduct } from '../src/clients/catalog.ts';
import { announcementOf } from '../src/domain/order-events.ts';
import {
  canMove,
  changeFor,
  decide,
  orderStatuses,
  transitions,
  type OrderTrigger,
} from '../src/domain/order-status.ts';
import { priceChange, priceOrder } from '../src/domain/pricing.ts';
import { hashRequest } from '../src/domain/request-hash.ts';

const tea: CatalogProduct = { id: 1, name: 'Tea', priceCents: 450, currency: 'EUR', stock: 10 };
const mug: CatalogProduct = { id: 2, name: 'Mug', priceCents: 1_200, currency: 'EUR', stock: 1 };

/** The AppError `run` throws, for asserting on its code and details. */
function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('pricing an order', () => {
  it("prices each item at the catalog's current price and name, in the order the buyer listed them", () => {
    const priced = priceOrder(
      [
        { productId: 2, quantity: 1 },
        { productId: 1, quantity: 3 },
      ],
      [tea, mug],
    );
    expect(priced).toEqual({
      items: [
        { productId: 2, quantity: 1, name: 'Mug', unitPriceCents: 1_200 },
        { productId: 1, quantity: 3, name: 'Tea', unitPriceCents: 450 },
      ],
      totalCents: 2_550,
      currency: 'EUR',
    });
  });

  it('refuses with 404 naming every product the catalog does not have', () => {
    const error = refusal(() =>
      priceOrder(
        [
          { productId: 7, quantity: 1 },
          { productId: 1, quantity: 1 },
          { productId: 8, quantity: 1 },
        ],
        [tea],
      ),
    );
    expect(error).toMatchObject({ status: 404, code: 'product_not_found', details: { productIds: [7, 8] } });
    expect(error.message).toBe('products 7, 8 were not found');
  });

  it('refuses with 409 insufficient_stock when more is asked than the catalog holds', () => {
    const error = refusal(() => priceOrder([{ productId: 2, quantity: 2 }], [mug]));
    expect(error).toMatchObject({
      status: 409,
      code: 'insufficient_stock',
      details: { items: [{ productId: 2, requested: 2, available: 1 }] },
    });
  });

  it('refuses with 409 mixed_currencies when the products are priced in different currencies', () => {
    const dollarMug = { ...mug, currency: 'USD' };
    const error = refusal(() =>
      priceOrder(
        [
          { productId: 1, quantity: 1 },
          { productId: 2, quantity: 1 },
        ],
        [tea, dollarMug],
      ),
    );
    expect(error).toMatchObject({
      status: 409,
      code: 'mixed_currencies',
      details: { currencies: ['EUR', 'USD'] },
    });
  });

  it('refuses with 400 a total the orders table cannot hold', () => {
    const gold = { ...tea, priceCents: 1_000_000_000, stock: 5 };
    const error = refusal(() => priceOrder([{ productId: 1, quantity: 3 }], [gold]));
    expect(error).toMatchObject({ status: 400, code: 'order_total_too_large' });
  });
});

describe('a confirmed total', () => {
  const priced = priceOrder([{ productId: 1, quantity: 2 }], [tea]);

  it('lets the order through when the buyer confirmed no total, or exactly this one', () => {
    expect(priceChange(priced, undefined)).toBeUndefined();
    expect(priceChange(priced, 900)).toBeUndefined();
  });

  it('refuses with 409 price_changed carrying the current prices when the total moved', () => {
    expect(priceChange(priced, 800)).toMatchObject({
      status: 409,
      code: 'price_changed',
      details: { expectedTotalCents: 800, totalCents: 900, currency: 'EUR', items: priced.items },
    });
  });
});

describe('the request hash behind an Idempotency-Key', () => {
  const items = [
    { productId: 2, quantity: 1 },
    { productId: 1, quantity: 3 },
  ];

  const delivery = { name: 'Anna', phone: '+7 999 123-45-67', address: 'Nevsky 1' };

  it('is the same for the same items listed in another order', () => {
    expect(hashRequest({ items })).toBe(hashRequest({ items: items.toReversed() }));
  });

  it('differs when a quantity or the confirmed total differs', () => {
    expect(hashRequest({ items })).not.toBe(
      hashRequest({ items: [items[0]!, { productId: 1, quantity: 4 }] }),
    );
    expect(hashRequest({ items, expectedTotalCents: 2_550 })).not.toBe(hashRequest({ items }));
    expect(hashRequest({ items, expectedTotalCents: 2_550 })).not.toBe(
      hashRequest({ items, expectedTotalCents: 2_551 }),
    );
  });

  it('stays what it was for a body of items alone, so keys stored before delivery details existed still replay', () => {
    // SHA-256 of {"items":[[1,3],[2,1]]}, the canonical body the key was stored under.
    expect(hashRequest({ items })).toBe(createHash('sha256').update('{"items":[[1,3],[2,1]]}').digest('hex'));
  });

  it('tells a cart checkout from an order of items, and one delivery address from another', () => {
    const cart = { fromCart: true, expectedTotalCents: 2_550, delivery };
    expect(hashRequest(cart)).toBe(hashRequest({ ...cart }));
    expect(hashRequest(cart)).not.toBe(hashRequest({ items, expectedTotalCents: 2_550, delivery }));
    expect(hashRequest(cart)).not.toBe(
      hashRequest({ ...cart, delivery: { ...delivery, address: 'Nevsky 2' } }),
    );
    expect(hashRequest({ items, delivery })).not.toBe(hashRequest({ items }));
  });
});

const shortages = [{ productId: 3, name: 'Tea', requested: 2, available: 1 }];
const triggers: OrderTrigger[] = [
  { type: 'stock.reserved' },
  { type: 'stock.rejected', shortages },
  { type: 'payment.succeeded' },
  { type: 'payment.failed' },
  { type: 'cancel', reason: 'buyer' },
  { type: 'cancel', reason: 'expired' },
  { type: 'cancel', reason: 'merchant' },
  { type: 'ship' },
  { type: 'deliver' },
];

describe('order statuses', () => {
  it('moves only along the legal transitions, and never out of delivered, cancelled or payment_failed', () => {
    expect(transitions).toEqual({
      pending: ['awaiting_payment', 'paid', 'cancelled', 'payment_failed'],
      awaiting_payment: ['paid', 'cancelled', 'payment_failed'],
      paid: ['shipped', 'cancelled'],
      shipped: ['delivered', 'cancelled'],
      delivered: [],
      cancelled: [],
      payment_failed: [],
    });
    expect(canMove('awaiting_payment', 'pending')).toBe(false);
    expect(canMove('paid', 'delivered')).toBe(false);
    expect(canMove('delivered', 'cancelled')).toBe(false);
  });

  it('lets every trigger make legal moves only', () => {
    for (const trigger of triggers) {
      const { from, to } = changeFor(trigger);
      for (const status of from) expect(canMove(status, to), `${trigger.type} ${status}`).toBe(true);
    }
  });

  it('takes a pending order to awaiting_payment when the stock is reserved, and nothing else there', () => {
    expect(decide('pending', { type: 'stock.reserved' })).toEqual({ to: 'awaiting_payment' });
    for (const status of orderStatuses.filter((s) => s !== 'pending'))
      expect(decide(status, { type: 'stock.reserved' })).toBeUndefined();
  });

  it('cancels a pending order for lack of stock, keeping the short lines', () => {
    expect(decide('pending', { type: 'stock.rejected', shortages })).toEqual({
      to: 'cancelled',
      cancelReason: 'out_of_stock',
      shortages,
    });
    expect(decide('awaiting_payment', { type: 'stock.rejected', shortages })).toBeUndefined();
  });

  it('takes a payment outcome from pending or awaiting_payment, and ignores it once final', () => {
    for (const status of ['pending', 'awaiting_payment'] as const) {
      expect(decide(status, { type: 'payment.succeeded' })).toEqual({ to: 'paid' });
      expect(decide(status, { type: 'payment.failed' })).toEqual({ to: 'payment_failed' });
    }
    for (const status of ['paid', 'shipped', 'delivered', 'cancelled', 'payment_failed'] as const) {
      expect(decide(status, { type: 'payment.succeeded' })).toBeUndefined();
      expect(decide(status, { type: 'payment.failed' })).toBeUndefined();
    }
  });

  it('lets the buyer cancel before payment, and lets only a held reservation expire', () => {
    expect(decide('pending', { type: 'cancel', reason: 'buyer' })).toEqual({
      to: 'cancelled',
      cancelReason: 'buyer',
    });
    expect(decide('awaiting_payment', { type: 'cancel', reason: 'buyer' })).toEqual({
      to: 'cancelled',
      cancelReason: 'buyer',
    });
    expect(decide('paid', { type: 'cancel', reason: 'buyer' })).toBeUndefined();
    expect(decide('awaiting_payment', { type: 'cancel', reason: 'expired' })).toEqual({
      to: 'cancelled',
      cancelReason: 'expired',
    });
    expect(decide('pending', { type: 'cancel', reason: 'expired' })).toBeUndefined();
  });

  it('ships only a paid order, with its tracking note, and delivers only a shipped one', () => {
    expect(decide('paid', { type: 'ship', trackingNote: 'DHL 123' })).toEqual({
      to: 'shipped',
      trackingNote: 'DHL 123',
    });
    expect(decide('paid', { type: 'ship' })).toEqual({ to: 'shipped' });
    expect(decide('shipped', { type: 'deliver' })).toEqual({ to: 'delivered' });
    for (const status of orderStatuses.filter((s) => s !== 'paid'))
      expect(decide(status, { type: 'ship' }), status).toBeUndefined();
    for (const status of orderStatuses.filter((s) => s !== 'shipped'))
      expect(decide(status, { type: 'deliver' }), status).toBeUndefined();
  });

  it('lets the merchant cancel any order before it is delivered, saying when it was paid', () => {
    const merchant = { type: 'cancel', reason: 'merchant', note: 'Out of this colour' } as const;
    for (const status of ['pending', 'awaiting_payment'] as const)
      expect(decide(status, merchant)).toEqual({
        to: 'cancelled',
        cancelReason: 'merchant',
        cancelNote: 'Out of this colour',
      });
    for (const status of ['paid', 'shipped'] as const)
      expect(decide(status, merchant)).toEqual({
        to: 'cancelled',
        cancelReason: 'merchant',
        cancelNote: 'Out of this colour',
        wasPaid: true,
      });
    for (const status of ['delivered', 'cancelled', 'payment_failed'] as const)
      expect(decide(status, merchant), status).toBeUndefined();
    expect(decide('shipped', { type: 'cancel', reason: 'buyer' })).toBeUndefined();
  });
});

describe('events announcing a status change', () => {
  const order = {
    id: 42,
    userId: crypto.randomUUID(),
    items: [{ productId: 3, name: 'Tea', unitPriceCents: 450, quantity: 2 }],
    totalCents: 900,
    currency: 'EUR',
  };

  it("announces paid, failed and cancelled with the order's items, and awaiting_payment not at all", () => {
    const { id: orderId, userId, items } = order;
    expect(announcementOf(order, { to: 'paid' }, 'flow')).toMatchObject({
      type: 'order.paid',
      correlationId: 'flow',
      data: { orderId, userId, items, totalCents: 900, currency: 'EUR' },
    });
    expect(announcementOf(order, { to: 'payment_failed' })?.data).toEqual({ orderId, userId, items });
    expect(announcementOf(order, { to: 'cancelled', cancelReason: 'out_of_stock', shortages })?.data).toEqual(
      { orderId, userId, reason: 'out_of_stock', items, shortages },
    );
    expect(announcementOf(order, { to: 'cancelled', cancelReason: 'buyer' })?.data).toEqual({
      orderId,
      userId,
      reason: 'buyer',
      items,
    });
    expect(announcementOf(order, { to: 'awaiting_payment' })).toBeUndefined();
  });

  it('announces shipped with its tracking note, delivered, and a paid order cancelled by the merchant', () => {
    const { id: orderId, userId, items } = order;
    expect(announcementOf(order, { to: 'shipped', trackingNote: 'DHL 123' })).toMatchObject({
      type: 'order.shipped',
      data: { orderId, userId, trackingNote: 'DHL 123' },
    });
    expect(announcementOf(order, { to: 'shipped' })?.data).toEqual({ orderId, userId });
    expect(announcementOf(order, { to: 'delivered' })).toMatchObject({
      type: 'order.delivered',
      data: { orderId, userId },
    });
    expect(
      announcementOf(order, { to: 'cancelled', cancelReason: 'merchant', cancelNote: 'Sorry', wasPaid: true })
        ?.data,
    ).toEqual({ orderId, userId, reason: 'merchant', items, note: 'Sorry', wasPaid: true });
  });
});

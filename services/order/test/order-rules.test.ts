import { createHash } from 'node:crypto';
import { AppError } from '@shop/shared';
import { describe, expect, it } from 'vitest';
import type { CatalogProduct } from '../src/clients/catalog.ts';
import { paymentTransition } from '../src/domain/order-status.ts';
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

describe('an order after its payment', () => {
  it('moves from pending to paid when the payment succeeded', () => {
    expect(paymentTransition('payment.succeeded')).toEqual({ from: 'pending', to: 'paid' });
  });

  it('moves from pending to payment_failed when the payment failed', () => {
    expect(paymentTransition('payment.failed')).toEqual({ from: 'pending', to: 'payment_failed' });
  });
});

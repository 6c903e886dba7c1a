import { describe, expect, it } from 'vitest';
import type { CatalogProduct } from '../src/clients/catalog.ts';
import { cartView, goneFromCart } from '../src/domain/cart.ts';

const tea: CatalogProduct = { id: 1, name: 'Tea', priceCents: 450, currency: 'EUR', stock: 10 };
const mug: CatalogProduct = { id: 2, name: 'Mug', priceCents: 1_200, currency: 'EUR', stock: 1 };
const delivery = { name: 'Anna', phone: '+7 999 123-45-67', address: 'Nevsky 1' };

describe('a cart priced by the catalog', () => {
  it('prices each line now, keeps the lines in their order and passes the remembered delivery details on', () => {
    const view = cartView(
      [
        { productId: 2, quantity: 1, name: 'Old mug name' },
        { productId: 1, quantity: 3, name: 'Tea' },
      ],
      [tea, mug],
      delivery,
    );
    expect(view).toStrictEqual({
      items: [
        {
          productId: 2,
          name: 'Mug',
          unitPriceCents: 1_200,
          currency: 'EUR',
          quantity: 1,
          stock: 1,
          available: true,
        },
        {
          productId: 1,
          name: 'Tea',
          unitPriceCents: 450,
          currency: 'EUR',
          quantity: 3,
          stock: 10,
          available: true,
        },
      ],
      totalCents: 1_200 + 3 * 450,
      currency: 'EUR',
      delivery,
    });
  });

  it('marks a line short of stock or gone, names the gone one as it was, and leaves both out of the total', () => {
    const view = cartView(
      [
        { productId: 2, quantity: 2, name: 'Mug' },
        { productId: 9, quantity: 1, name: 'Discontinued' },
        { productId: 1, quantity: 1, name: 'Tea' },
      ],
      [tea, mug],
      null,
    );
    expect(
      view.items.map(({ name, unitPriceCents, stock, available }) => [
        name,
        unitPriceCents,
        stock,
        available,
      ]),
    ).toEqual([
      ['Mug', 1_200, 1, false],
      ['Discontinued', null, 0, false],
      ['Tea', 450, 10, true],
    ]);
    expect(view.totalCents).toBe(450);
    expect(view.currency).toBe('EUR');
  });

  it('has no currency and a zero total when nothing in it is sold any more', () => {
    const view = cartView([{ productId: 9, quantity: 1, name: 'Discontinued' }], [], null);
    expect([view.totalCents, view.currency]).toEqual([0, null]);
  });

  it('adds up only the lines in the cart currency', () => {
    const rouble: CatalogProduct = { id: 3, name: 'Samovar', priceCents: 900_000, currency: 'RUB', stock: 5 };
    const view = cartView(
      [
        { productId: 1, quantity: 2, name: 'Tea' },
        { productId: 3, quantity: 1, name: 'Samovar' },
      ],
      [tea, rouble],
      null,
    );
    expect([view.totalCents, view.currency]).toEqual([900, 'EUR']);
  });
});

describe('a checkout of a cart with products the catalog no longer sells', () => {
  it('is refused naming each of them', () => {
    const refusal = goneFromCart([
      { productId: 9, quantity: 1, name: 'Discontinued' },
      { productId: 12, quantity: 2, name: 'Old mug' },
    ]);
    expect([refusal.status, refusal.code]).toEqual([409, 'product_unavailable']);
    expect(refusal.message).toBe(
      '"Discontinued" (product 9), "Old mug" (product 12) are no longer sold: remove them from the cart and check out again',
    );
  });
});

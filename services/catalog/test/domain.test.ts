import { createEvent } from '@shop/shared';
import { describe, expect, it } from 'vitest';
import {
  categoryList,
  filterOf,
  productList,
  productsWithIds,
  productWithId,
  type ProductRow,
} from '../src/domain/product-views.ts';
import { mergeLines, stockAfterSale, stockChanges } from '../src/domain/stock.ts';
import { containsPattern, fold, hasNoNul, searchTextOf } from '../src/domain/text.ts';

const tea: ProductRow = {
  id: 7,
  categoryId: 2,
  nameEn: 'Green tea',
  nameRu: 'Зелёный чай',
  descriptionEn: 'Loose leaf',
  descriptionRu: 'Листовой',
  priceCents: 450,
  currency: 'USD',
  stock: 3,
  imageVersion: null,
};

describe('product views', () => {
  it('shows a product in the language asked for', () => {
    expect(productWithId(tea, 7, 'ru')).toEqual({
      id: 7,
      name: 'Зелёный чай',
      description: 'Листовой',
      priceCents: 450,
      currency: 'USD',
      stock: 3,
      categoryId: 2,
      imageUrl: null,
    });
    expect(productWithId(tea, 7, 'en').name).toBe('Green tea');
  });

  it("names a product's photo by a URL that changes with the photo", () => {
    expect(productWithId({ ...tea, imageVersion: 'abc_-1' }, 7, 'en').imageUrl).toBe(
      '/products/7/image?v=abc_-1',
    );
  });

  it('answers 404 for a product that is not there', () => {
    expect(() => productWithId(null, 9, 'en')).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('reads page 3 of 10 from row 20', () => {
    expect(filterOf({ page: 3, limit: 10, q: 'tea' })).toEqual({ offset: 20, limit: 10, q: 'tea' });
  });

  it('answers 404 for a page of a category that does not exist, and a page otherwise', () => {
    const query = { categoryId: 5, page: 1, limit: 10 };
    expect(() => productList({ rows: [], total: 0, categoryFound: false }, query, 'en')).toThrow(
      expect.objectContaining({ status: 404 }),
    );
    expect(productList({ rows: [tea], total: 11, categoryFound: true }, query, 'en')).toMatchObject({
      items: [{ id: 7 }],
      page: 1,
      limit: 10,
      total: 11,
    });
  });

  it('lists the products found among the ids asked for, the limit being how many were asked', () => {
    expect(productsWithIds([tea], [7, 8], 'en')).toMatchObject({
      items: [{ id: 7 }],
      page: 1,
      limit: 2,
      total: 1,
    });
  });

  it('names categories in the language asked for', () => {
    const rows = [{ id: 1, slug: 'tea', nameEn: 'Tea', nameRu: 'Чай', productCount: 4 }];
    expect(categoryList(rows, 'ru')).toEqual({
      items: [{ id: 1, slug: 'tea', name: 'Чай', productCount: 4 }],
    });
  });
});

describe('search text', () => {
  it('folds case and composition, so ЁЛКА, ёлка and a decomposed ё match', () => {
    expect(fold('ЁЛКА')).toBe(fold('ёлка'));
    expect(fold('е\u0308лка')).toBe('ёлка');
  });

  it('searches both languages, names and descriptions', () => {
    expect(searchTextOf(tea)).toBe('green tea\nзелёный чай\nloose leaf\nлистовой');
  });

  it('matches %, _ and ! literally rather than as wildcards', () => {
    expect(containsPattern('50%_off!')).toBe('%50!%!_off!!%');
  });

  it('refuses text with a NUL character', () => {
    expect(hasNoNul('tea')).toBe(true);
    expect(hasNoNul('te\u0000a')).toBe(false);
  });
});

const buyer = crypto.randomUUID();
const orderCreated = (orderId: number, items: { productId: number; quantity: number }[]) =>
  createEvent('order.created', {
    orderId,
    userId: buyer,
    items: items.map((item) => ({ ...item, name: 'Tea', unitPriceCents: 100 })),
    totalCents: 100,
    currency: 'USD',
  });
const paid = (orderId: number) =>
  createEvent('payment.succeeded', {
    paymentId: crypto.randomUUID(),
    orderId,
    userId: buyer,
    amountCents: 100,
    currency: 'USD',
  });

describe('stock rules', () => {
  it('counts a product named twice in an order twice, in one line', () => {
    expect(
      mergeLines([
        { productId: 1, quantity: 2 },
        { productId: 2, quantity: 1 },
        { productId: 1, quantity: 3 },
      ]),
    ).toEqual([
      { productId: 1, quantity: 5 },
      { productId: 2, quantity: 1 },
    ]);
  });

  it('keeps the first lines of an order and notes each paid order once', () => {
    const changes = stockChanges([
      orderCreated(1, [{ productId: 1, quantity: 2 }]),
      paid(1),
      orderCreated(1, [{ productId: 9, quantity: 9 }]),
      paid(2),
      paid(2),
    ]);
    expect(changes.lines).toEqual(new Map([[1, [{ productId: 1, quantity: 2 }]]]));
    expect(changes.paid).toEqual(new Set([1, 2]));
  });

  it('takes a sale out of stock, and clamps at 0 saying by how much it was oversold', () => {
    expect(stockAfterSale(5, 2)).toEqual({ stock: 3, oversoldBy: 0 });
    expect(stockAfterSale(1, 4)).toEqual({ stock: 0, oversoldBy: 3 });
  });
});

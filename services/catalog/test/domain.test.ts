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
import {
  mergeLines,
  stepFor,
  type ProductStock,
  type Reservation,
  type StockEvent,
} from '../src/domain/stock.ts';
import { planStock } from '../src/domain/stock-plan.ts';
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
    items: items.map((item) => ({ ...item, name: `Tea ${item.productId}`, unitPriceCents: 100 })),
    totalCents: 100,
    currency: 'USD',
  });
const items = [{ productId: 1, name: 'Tea 1', unitPriceCents: 100, quantity: 1 }];
const paid = (orderId: number) =>
  createEvent('order.paid', { orderId, userId: buyer, items, totalCents: 100, currency: 'USD' });
const cancelled = (orderId: number) =>
  createEvent('order.cancelled', { orderId, userId: buyer, reason: 'buyer' });
const failed = (orderId: number) => createEvent('order.payment_failed', { orderId, userId: buyer, items });

const units = (entries: [number, Partial<ProductStock>][]) =>
  new Map(entries.map(([id, stock]) => [id, { stock: 0, reserved: 0, deleted: false, ...stock }]));

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

  it('reserves an order once, sells or releases only what is held, and tombstones an early cancellation', () => {
    const held: Reservation = { state: 'reserved', lines: [] };
    const tombstone: Reservation = { state: 'released', lines: null };
    expect(stepFor('order.created', undefined)).toBe('reserve');
    expect(stepFor('order.created', held)).toBe('duplicate');
    expect(stepFor('order.created', tombstone)).toBe('keep-cancelled');
    expect(stepFor('order.paid', held)).toBe('sell');
    expect(stepFor('order.paid', { state: 'sold', lines: [] })).toBe('duplicate');
    expect(stepFor('order.paid', undefined)).toBe('no-reservation');
    expect(stepFor('order.paid', { state: 'released', lines: [] })).toBe('no-reservation');
    for (const type of ['order.cancelled', 'order.payment_failed'] as const) {
      expect(stepFor(type, held)).toBe('release');
      expect(stepFor(type, undefined)).toBe('tombstone');
      expect(stepFor(type, { state: 'rejected', lines: [] })).toBe('duplicate');
      expect(stepFor(type, { state: 'returned', lines: [] })).toBe('duplicate');
      expect(stepFor(type, tombstone)).toBe('duplicate');
    }
    expect(stepFor('order.payment_failed', { state: 'sold', lines: [] })).toBe('duplicate');
  });

  it('puts a sold order back on hand once, when it is cancelled after all', () => {
    expect(stepFor('order.cancelled', { state: 'sold', lines: [] })).toBe('restock');
    expect(stepFor('order.cancelled', { state: 'returned', lines: [] })).toBe('duplicate');
    expect(stepFor('order.paid', { state: 'returned', lines: [] })).toBe('no-reservation');

    const lines = [{ productId: 1, quantity: 3 }];
    const plan = planStock(
      [cancelled(6), cancelled(6), paid(6)],
      new Map([[6, { state: 'sold', lines }]]),
      units([[1, { stock: 2, reserved: 1 }]]),
    );

    expect(plan.notes.map((note) => note.step)).toEqual(['restock', 'duplicate', 'no-reservation']);
    expect(plan.products.get(1)).toEqual({ stock: 5, reserved: 1, deleted: false });
    expect(plan.reservations.get(6)).toEqual({ state: 'returned', lines });
    expect(plan.shownStockChanged).toBe(true);
    expect(plan.announcements).toEqual([]);
  });

  it('reserves all lines of an order or none, naming each short line with what is left', () => {
    const products = units([
      [1, { stock: 5, reserved: 1 }],
      [2, { stock: 3, reserved: 3 }],
      [3, { stock: 9, deleted: true }],
    ]);
    const plan = planStock(
      [
        orderCreated(10, [
          { productId: 1, quantity: 2 },
          { productId: 2, quantity: 1 },
          { productId: 3, quantity: 1 },
          { productId: 4, quantity: 1 },
        ]),
      ],
      new Map(),
      products,
    );

    expect(plan.products).toEqual(new Map());
    expect(plan.shownStockChanged).toBe(false);
    expect(plan.reservations.get(10)?.state).toBe('rejected');
    expect(plan.announcements.map((event) => [event.type, event.data])).toEqual([
      [
        'stock.rejected',
        {
          orderId: 10,
          userId: buyer,
          shortages: [
            { productId: 2, name: 'Tea 2', requested: 1, available: 0 },
            { productId: 3, name: 'Tea 3', requested: 1, available: 0 },
            { productId: 4, name: 'Tea 4', requested: 1, available: 0 },
          ],
        },
      ],
    ]);
  });

  it('lets each event of a batch see what the ones before it did', () => {
    const products = units([[1, { stock: 3 }]]);
    const events: StockEvent[] = [
      orderCreated(1, [{ productId: 1, quantity: 2 }]),
      orderCreated(2, [{ productId: 1, quantity: 2 }]),
      cancelled(1),
      orderCreated(3, [{ productId: 1, quantity: 3 }]),
      paid(3),
      failed(2),
      cancelled(4),
      orderCreated(4, [{ productId: 1, quantity: 1 }]),
    ];
    const plan = planStock(events, new Map(), products);

    expect(plan.notes.map((note) => `${note.orderId} ${note.step}`)).toEqual([
      '1 reserve',
      '2 reserve',
      '1 release',
      '3 reserve',
      '3 sell',
      '2 duplicate',
      '4 tombstone',
      '4 keep-cancelled',
    ]);
    expect(plan.announcements.map((event) => `${event.type} ${event.data.orderId}`)).toEqual([
      'stock.reserved 1',
      'stock.rejected 2',
      'stock.reserved 3',
    ]);
    expect(plan.products.get(1)).toEqual({ stock: 0, reserved: 0, deleted: false });
    expect(plan.reservations).toEqual(
      new Map([
        [1, { state: 'released', lines: [{ productId: 1, quantity: 2 }] }],
        [2, { state: 'rejected', lines: [{ productId: 1, quantity: 2 }] }],
        [3, { state: 'sold', lines: [{ productId: 1, quantity: 3 }] }],
        [4, { state: 'released', lines: [{ productId: 1, quantity: 1 }] }],
      ]),
    );
  });

  it("announces a reservation with the order's own payload and correlation id", () => {
    const order = orderCreated(5, [{ productId: 1, quantity: 1 }]);
    const plan = planStock([order], new Map(), units([[1, { stock: 1 }]]));

    expect(plan.announcements).toEqual([
      expect.objectContaining({
        type: 'stock.reserved',
        data: order.data,
        correlationId: order.correlationId,
      }),
    ]);
    expect(plan.shownStockChanged).toBe(true);
  });
});

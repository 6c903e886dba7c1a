import { describe, expect, it } from 'vitest';
import { lowStockCrossings } from '../src/domain/low-stock.ts';
import type { ProductStock } from '../src/domain/stock.ts';

const product = (stock: number, reserved = 0, deleted = false): ProductStock => ({
  stock,
  reserved,
  deleted,
});
const crossings = (before: ProductStock, after: ProductStock, threshold = 3) =>
  lowStockCrossings(new Map([[1, before]]), new Map([[1, after]]), threshold);

describe('low stock', () => {
  it('is raised when available stock falls from above the threshold to it', () => {
    expect(crossings(product(6, 2), product(6, 3))).toEqual([{ productId: 1, available: 3 }]);
  });

  it('is raised once when several units go at once, past the threshold', () => {
    expect(crossings(product(10, 0), product(10, 8))).toEqual([{ productId: 1, available: 2 }]);
  });

  it('is not raised again for a product already at or below the threshold, until it sells out', () => {
    expect(crossings(product(6, 3), product(6, 4))).toEqual([]);
    expect(crossings(product(6, 5), product(6, 6))).toEqual([{ productId: 1, available: 0 }]);
  });

  it('is raised once for a fall from above the threshold straight to 0', () => {
    expect(crossings(product(5, 0), product(5, 5))).toEqual([{ productId: 1, available: 0 }]);
  });

  it('is not raised by a sale of reserved units (what can be bought stays) or by a release', () => {
    expect(crossings(product(6, 4), product(2, 0))).toEqual([]);
    expect(crossings(product(6, 5), product(6, 1))).toEqual([]);
  });

  it('is not raised for a deleted product, which can never be bought', () => {
    expect(crossings(product(6, 0, true), product(6, 4, true))).toEqual([]);
  });

  it('with threshold 0 is raised only when the product sells out', () => {
    expect(crossings(product(2, 0), product(2, 1), 0)).toEqual([]);
    expect(crossings(product(2, 1), product(2, 2), 0)).toEqual([{ productId: 1, available: 0 }]);
  });
});

import { availableOf, type ProductStock } from './stock.ts';

/** A product whose available stock crossed the low-stock line in one change. */
export interface LowStock {
  productId: number;
  available: number;
}

/**
 * The products whose available stock (on hand minus reserved) a change takes from above
 * `threshold` to at most it, or from above 0 to 0: once per crossing, however many orders took
 * it there together. A product already at or below the line that falls further raises nothing
 * until it reaches 0; one that comes back above it (a release, a restock) is armed again. Both
 * maps hold the products as locked for the change, so two changes of one product never both see
 * the same crossing.
 */
export function lowStockCrossings(
  before: ReadonlyMap<number, ProductStock>,
  after: ReadonlyMap<number, ProductStock>,
  threshold: number,
): LowStock[] {
  const crossings: LowStock[] = [];
  for (const [productId, product] of after) {
    const was = availableOf(before.get(productId));
    const now = availableOf(product);
    if ((was > threshold && now <= threshold) || (was > 0 && now === 0))
      crossings.push({ productId, available: now });
  }
  return crossings;
}

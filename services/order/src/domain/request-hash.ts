import { createHash } from 'node:crypto';
import type { RequestedItem } from './pricing.ts';

/**
 * SHA-256 of the request in a canonical form: items sorted by product, so a retry that lists
 * the same items in another order counts as the same request. The expected total is part of the
 * body: the same key with another total is another request (422). A body without one hashes as
 * it always did.
 */
export function hashRequest(items: readonly RequestedItem[], expectedTotalCents?: number): string {
  const canonical = items
    .toSorted((a, b) => a.productId - b.productId)
    .map((item) => [item.productId, item.quantity]);
  const body =
    expectedTotalCents === undefined ? { items: canonical } : { items: canonical, expectedTotalCents };
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

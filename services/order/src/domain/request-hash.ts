import { createHash } from 'node:crypto';
import type { Delivery, OrderChannel } from '@shop/shared';
import type { RequestedItem } from './pricing.ts';

/** What a `POST /orders` asks for: the listed items, or the buyer's cart. */
export interface OrderRequestBody {
  items?: readonly RequestedItem[];
  fromCart?: boolean;
  expectedTotalCents?: number;
  delivery?: Delivery;
  channel?: OrderChannel;
}

/**
 * SHA-256 of the request in a canonical form: items sorted by product, so a retry that lists
 * the same items in another order counts as the same request. The expected total and the
 * delivery details are part of the body: the same key with another total or address is another
 * request (422), and so is the channel. A body of items without any of them hashes as it always did. A cart checkout hashes
 * the request, not the cart: its retry is recognised even after the first one emptied the cart.
 */
export function hashRequest({
  items,
  fromCart,
  expectedTotalCents,
  delivery,
  channel,
}: OrderRequestBody): string {
  const what = fromCart
    ? { fromCart: true }
    : {
        items: (items ?? [])
          .toSorted((a, b) => a.productId - b.productId)
          .map((item) => [item.productId, item.quantity]),
      };
  const body = {
    ...what,
    ...(expectedTotalCents === undefined ? {} : { expectedTotalCents }),
    ...(delivery === undefined ? {} : { delivery: [delivery.name, delivery.phone, delivery.address] }),
    ...(channel === undefined ? {} : { channel }),
  };
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

import { conflict } from '@shop/shared';
import type { OrderDeps } from '../deps.ts';
import { priceChange, priceOrder, type RequestedItem } from '../domain/pricing.ts';
import { hashRequest } from '../domain/request-hash.ts';
import { findStoredResponse, type KeyClaim, type StoredResponse } from './idempotency-keys.ts';

export interface PlaceOrderInput {
  userId: string;
  items: readonly RequestedItem[];
  idempotencyKey?: string;
  /** Forwarded to the catalog so item names are stored in the buyer's language. */
  acceptLanguage?: string;
  /** The total the buyer confirmed: the order is placed at exactly this total or not at all. */
  expectedTotalCents?: number;
}

/**
 * Places an order priced by the catalog. The order, its items, the Idempotency-Key with its
 * response and the `order.created` event are written by one statement (shared with the orders
 * placed at the same moment, see order-writer.ts), so all of them or none.
 * With a key, a retry gets the first response again and creates nothing. With an expected
 * total that the catalog's prices no longer give, 409 price_changed and nothing is created.
 */
export async function placeOrder(deps: OrderDeps, input: PlaceOrderInput): Promise<StoredResponse> {
  const { userId, idempotencyKey: key } = input;
  const claim: KeyClaim | undefined =
    key === undefined
      ? undefined
      : {
          key,
          requestHash: hashRequest(input.items, input.expectedTotalCents),
          expiresAt: new Date(Date.now() + deps.idempotencyTtlMs),
        };
  // A retry of a finished request is answered without asking the catalog again.
  if (claim) {
    const stored = await findStoredResponse(deps.em.fork(), userId, claim.key, claim.requestHash);
    if (stored) return stored;
  }

  // Before any database work: no connection is held while the catalog answers.
  const products = await deps.catalog.productsByIds(
    input.items.map((item) => item.productId),
    { acceptLanguage: input.acceptLanguage },
  );
  const priced = priceOrder(input.items, products);
  const changed = priceChange(priced, input.expectedTotalCents);
  if (changed) {
    // The same request may have committed meanwhile, priced before the change: that is its answer.
    const replay = claim && (await findStoredResponse(deps.em.fork(), userId, claim.key, claim.requestHash));
    if (replay) return replay;
    throw changed;
  }

  // What is written is `priced` itself, so the order's total is the one just compared.
  const written = await deps.orders.write({ userId, priced, claim });
  if (written) return written;

  // A concurrent request with the same key committed first: answer as it did.
  const winner = claim && (await findStoredResponse(deps.em.fork(), userId, claim.key, claim.requestHash));
  if (!winner)
    throw conflict('idempotency_key_in_use', 'A request with this Idempotency-Key is still running');
  return winner;
}

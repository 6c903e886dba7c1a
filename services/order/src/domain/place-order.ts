import type { ServiceEntityManager } from '@shop/shared';
import { addToOutbox, conflict, createEvent } from '@shop/shared';
import { Order, OrderItem } from '../db/entities.ts';
import type { OrderDeps } from './deps.ts';
import {
  claimKey,
  findStoredResponse,
  hashRequest,
  storeResponse,
  type StoredResponse,
} from './idempotency.ts';
import { toOrderView } from './order-view.ts';
import { priceOrder, type PricedOrder, type RequestedItem } from './pricing.ts';

export interface PlaceOrderInput {
  userId: string;
  items: readonly RequestedItem[];
  idempotencyKey?: string;
  /** Forwarded to the catalog so item names are stored in the buyer's language. */
  acceptLanguage?: string;
}

/**
 * Places an order priced by the catalog. The order, its items, the Idempotency-Key with its
 * response and the `order.created` event commit in one transaction, or none of them does.
 * With a key, a retry gets the first response again and creates nothing.
 */
export async function placeOrder(deps: OrderDeps, input: PlaceOrderInput): Promise<StoredResponse> {
  const { userId, idempotencyKey: key } = input;
  const claim =
    key === undefined
      ? undefined
      : {
          userId,
          key,
          requestHash: hashRequest(input.items),
          expiresAt: new Date(Date.now() + deps.idempotencyTtlMs),
        };
  // A retry of a finished request is answered without asking the catalog again.
  if (claim) {
    const stored = await findStoredResponse(deps.em.fork(), userId, claim.key, claim.requestHash);
    if (stored) return stored;
  }

  // Outside the transaction: no connection is held while the catalog answers.
  const products = await deps.catalog.productsByIds(
    input.items.map((item) => item.productId),
    { acceptLanguage: input.acceptLanguage },
  );
  const priced = priceOrder(input.items, products);

  const created = await deps.em.fork().transactional(async (em) => {
    if (claim && !(await claimKey(em, claim))) return undefined;
    const response = await insertOrder(em, userId, priced);
    if (claim) await storeResponse(em, userId, claim.key, response);
    await em.flush();
    await deps.beforeCommit?.(em);
    return response;
  });
  if (created) return created;

  // A concurrent request with the same key committed first: answer as it did.
  const winner = claim && (await findStoredResponse(deps.em.fork(), userId, claim.key, claim.requestHash));
  if (!winner)
    throw conflict('idempotency_key_in_use', 'A request with this Idempotency-Key is still running');
  return winner;
}

async function insertOrder(
  em: ServiceEntityManager,
  userId: string,
  priced: PricedOrder,
): Promise<StoredResponse> {
  const order = em.create(Order, {
    userId,
    status: 'pending',
    totalCents: priced.totalCents,
    currency: priced.currency,
  });
  for (const item of priced.items) em.create(OrderItem, { order, ...item });
  // The id (the order number) comes from the sequence; the event and the response need it.
  await em.flush();
  await addToOutbox(
    em,
    createEvent('order.created', {
      orderId: order.id,
      userId,
      items: priced.items,
      totalCents: priced.totalCents,
      currency: priced.currency,
    }),
  );
  return { status: 201, body: toOrderView(order, priced.items) };
}

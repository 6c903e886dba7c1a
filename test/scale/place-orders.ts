/**
 * How the scale-out proof places its orders: many at once over the public API, spread round-robin
 * across the order instances, so both instances (and their relays) carry the load.
 */
import { callApi, type Buyer } from '../support/shop-api.ts';

export interface PlannedOrder {
  buyer: Buyer;
  productId: number;
}

/**
 * Places every planned order with at most `concurrency` requests in flight, each to the next order
 * instance in turn and with an Idempotency-Key of its own; returns the order ids in plan order.
 * Any answer but 201 fails the run: a client of a healthy shop never sees one.
 */
export async function placeOrders(
  orderUrls: readonly string[],
  plan: readonly PlannedOrder[],
  concurrency: number,
): Promise<number[]> {
  const ids: number[] = new Array<number>(plan.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    for (let index = next++; index < plan.length && !failed; index = next++) {
      const { buyer, productId } = plan[index]!;
      const answer = await callApi(`${orderUrls[index % orderUrls.length]}/orders`, {
        method: 'POST',
        token: buyer.accessToken,
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        json: { items: [{ productId, quantity: 1 }] },
      }).catch((error: unknown) => {
        // The others stop too, so the failure's log lines are still among the last ones kept.
        failed = true;
        throw error;
      });
      const { status } = answer;
      const body = answer.body as { id: number; status: string };
      if (status !== 201 || body.status !== 'pending')
        throw new Error(`order ${index}: ${status} ${JSON.stringify(body)}`);
      ids[index] = body.id;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

import { ServiceAnswer } from '../clients/http.ts';
import type { Order, OrderClient } from '../clients/order.ts';
import { idOf } from './params.ts';

/** One of the buyer's orders by its id as typed; undefined for none, or someone else's (both are 404 to them). */
export async function ownOrderOf(
  orders: OrderClient,
  token: string,
  raw: string,
): Promise<Order | undefined> {
  const id = idOf(raw);
  if (id === undefined) return undefined;
  try {
    return await orders.order(token, id);
  } catch (error) {
    if (error instanceof ServiceAnswer && error.status === 404) return undefined;
    throw error;
  }
}

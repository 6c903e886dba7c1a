import { conflict, notFound, type AccessClaims } from '@shop/shared';
import type { OrderDeps } from '../deps.ts';
import { changeFor, type OrderTrigger } from '../domain/order-status.ts';
import type { AdminOrderView, OrderDetailView } from '../domain/order-view.ts';
import { getAdminOrder, getOrder } from './order-queries.ts';
import { moveOrder } from './order-status.ts';

/** What a request may ask of an order, and how its refusal says it. */
type Asked = Extract<OrderTrigger, { type: 'cancel' | 'ship' | 'deliver' }>;
const done: Record<Asked['type'], string> = { cancel: 'cancelled', ship: 'shipped', deliver: 'delivered' };

/**
 * Moves one order as a request asks, in a transaction of its own (with its history row and its
 * event, see `moveOrder`): an order of someone else than `userId` (when given) or none at all is
 * 404; one the move does not apply to is 409 `invalid_transition`, with the order's `status` in
 * `details`. The order's row lock makes racing requests take turns: of two merchants pressing
 * Ship at once, exactly one ships it and the other hears it is shipped already.
 */
async function moveAsAsked(deps: OrderDeps, orderId: number, trigger: Asked, userId?: string): Promise<void> {
  const result = await deps.em
    .fork()
    .transactional((em) => moveOrder(em, orderId, trigger, userId === undefined ? {} : { userId }));
  if (result.outcome === 'not_found') throw notFound(`order ${orderId}`);
  if (result.outcome === 'unchanged') {
    const { status } = result;
    throw conflict(
      'invalid_transition',
      status === changeFor(trigger).to
        ? `Order ${orderId} is already ${status}`
        : `Order ${orderId} is ${status} and cannot be ${done[trigger.type]}`,
      { status },
    );
  }
}

/**
 * Cancels an order. A buyer cancels their own before it is paid (`buyer`); the catalog then
 * releases its stock. An admin cancels any order not delivered yet (`merchant`), a paid or shipped
 * one too: payment refunds it and the catalog takes its units back. `note` is why, in the words
 * of whoever cancelled. Answers the order as its buyer sees it, or, to an admin, as the merchant
 * does.
 */
export async function cancelOrder(
  deps: OrderDeps,
  caller: Pick<AccessClaims, 'sub' | 'role'>,
  orderId: number,
  note?: string,
): Promise<OrderDetailView | AdminOrderView> {
  const withNote = note === undefined ? {} : { note };
  if (caller.role === 'admin') {
    await moveAsAsked(deps, orderId, { type: 'cancel', reason: 'merchant', ...withNote });
    return getAdminOrder(deps.em.fork(), orderId);
  }
  await moveAsAsked(deps, orderId, { type: 'cancel', reason: 'buyer', ...withNote }, caller.sub);
  return getOrder(deps.em.fork(), caller.sub, orderId);
}

/** The merchant ships a paid order, with a note for the buyer (a carrier, a tracking number) if given. */
export async function shipOrder(
  deps: OrderDeps,
  orderId: number,
  trackingNote?: string,
): Promise<AdminOrderView> {
  await moveAsAsked(deps, orderId, {
    type: 'ship',
    ...(trackingNote === undefined ? {} : { trackingNote }),
  });
  return getAdminOrder(deps.em.fork(), orderId);
}

/** The merchant marks a shipped order delivered. */
export async function deliverOrder(deps: OrderDeps, orderId: number): Promise<AdminOrderView> {
  await moveAsAsked(deps, orderId, { type: 'deliver' });
  return getAdminOrder(deps.em.fork(), orderId);
}

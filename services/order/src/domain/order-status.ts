import type { CancelReason, EventData } from '@shop/shared';

/** Every status an order can be in (the contract's list, without the merchant's `shipped`/`delivered` yet). */
export const orderStatuses = ['pending', 'awaiting_payment', 'paid', 'cancelled', 'payment_failed'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/**
 * The legal moves: from each status, the statuses an order may go to next. Anything else is
 * refused (`invalid_transition`). An order is `pending` until the catalog answers; payment charges
 * only reserved orders, but its outcome may overtake the reservation's news, so `pending` may go
 * straight to `paid` or `payment_failed`.
 */
export const transitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['awaiting_payment', 'paid', 'cancelled', 'payment_failed'],
  awaiting_payment: ['paid', 'cancelled', 'payment_failed'],
  paid: [],
  cancelled: [],
  payment_failed: [],
};

export const canMove = (from: OrderStatus, to: OrderStatus): boolean => transitions[from].includes(to);

export type Shortages = EventData<'stock.rejected'>['shortages'];

/** What asks an order to move: an event from the catalog or payment, the buyer, or the clock. */
export type OrderTrigger =
  | { type: 'stock.reserved' }
  | { type: 'stock.rejected'; shortages: Shortages }
  | { type: 'payment.succeeded' }
  | { type: 'payment.failed' }
  | { type: 'cancel'; reason: Exclude<CancelReason, 'out_of_stock'> };

/** A move an order makes. */
export interface StatusChange {
  to: OrderStatus;
  cancelReason?: CancelReason;
  shortages?: Shortages;
}

/** Where each trigger takes an order, and the statuses it applies in (a subset of `transitions`). */
export function changeFor(trigger: OrderTrigger): StatusChange & { from: readonly OrderStatus[] } {
  switch (trigger.type) {
    case 'stock.reserved':
      return { to: 'awaiting_payment', from: ['pending'] };
    case 'stock.rejected':
      return {
        to: 'cancelled',
        cancelReason: 'out_of_stock',
        shortages: trigger.shortages,
        from: ['pending'],
      };
    case 'payment.succeeded':
      return { to: 'paid', from: ['pending', 'awaiting_payment'] };
    case 'payment.failed':
      return { to: 'payment_failed', from: ['pending', 'awaiting_payment'] };
    case 'cancel':
      // Only a reservation can run out; anyone else may cancel an order not paid yet.
      return trigger.reason === 'expired'
        ? { to: 'cancelled', cancelReason: 'expired', from: ['awaiting_payment'] }
        : { to: 'cancelled', cancelReason: trigger.reason, from: ['pending', 'awaiting_payment'] };
  }
}

/**
 * The change `trigger` makes to an order in `current`, or undefined when it makes none: a
 * duplicate, late or overtaken event finds the order moved on already, and a paid order stays
 * paid (a payment for a cancelled order is refunded by the payment service, not undone here).
 */
export function decide(current: OrderStatus, trigger: OrderTrigger): StatusChange | undefined {
  const { from, ...change } = changeFor(trigger);
  return from.includes(current) && canMove(current, change.to) ? change : undefined;
}

import type { CancelReason, EventData, OrderStatus } from '@shop/shared';

export { orderStatuses, type OrderStatus } from '@shop/shared';

/** The statuses of an order whose money was taken and is kept (its revenue, in the statistics). */
export const PAID_STATUSES: readonly OrderStatus[] = ['paid', 'shipped', 'delivered'];

/**
 * The legal moves: from each status, the statuses an order may go to next. Anything else is
 * refused (`invalid_transition`). An order is `pending` until the catalog answers; payment charges
 * only reserved orders, but its outcome may overtake the reservation's news, so `pending` may go
 * straight to `paid` or `payment_failed`. The merchant ships a paid order and marks it delivered;
 * until it is delivered, the merchant may still cancel it.
 */
export const transitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['awaiting_payment', 'paid', 'cancelled', 'payment_failed'],
  awaiting_payment: ['paid', 'cancelled', 'payment_failed'],
  paid: ['shipped', 'cancelled'],
  shipped: ['delivered', 'cancelled'],
  delivered: [],
  cancelled: [],
  payment_failed: [],
};

export const canMove = (from: OrderStatus, to: OrderStatus): boolean => transitions[from].includes(to);

export type Shortages = EventData<'stock.rejected'>['shortages'];

/** What asks an order to move: an event from the catalog or payment, the buyer, the merchant, or the clock. */
export type OrderTrigger =
  | { type: 'stock.reserved' }
  | { type: 'stock.rejected'; shortages: Shortages }
  | { type: 'payment.succeeded' }
  | { type: 'payment.failed' }
  | { type: 'cancel'; reason: Exclude<CancelReason, 'out_of_stock'>; note?: string }
  | { type: 'ship'; trackingNote?: string }
  | { type: 'deliver' };

/** A move an order makes. */
export interface StatusChange {
  to: OrderStatus;
  cancelReason?: CancelReason;
  shortages?: Shortages;
  /** Whoever cancelled it said why. */
  cancelNote?: string;
  /** A cancelled order had been paid: its payment is refunded, its units come back. */
  wasPaid?: boolean;
  trackingNote?: string;
}

/** A change and the statuses it applies in. */
export type Rule = StatusChange & { from: readonly OrderStatus[] };

/**
 * Where a cancellation takes an order: only a reservation can run out; the buyer cancels an order
 * not paid yet; the merchant any order not delivered yet, a paid one too (it is refunded).
 */
function cancellation({ reason, note }: Extract<OrderTrigger, { type: 'cancel' }>): Rule {
  const change = {
    to: 'cancelled',
    cancelReason: reason,
    ...(note === undefined ? {} : { cancelNote: note }),
  } as const;
  switch (reason) {
    case 'expired':
      return { to: 'cancelled', cancelReason: reason, from: ['awaiting_payment'] };
    case 'buyer':
      return { ...change, from: ['pending', 'awaiting_payment'] };
    case 'merchant':
      return { ...change, from: ['pending', 'awaiting_payment', 'paid', 'shipped'] };
  }
}

/** Where each trigger takes an order, and the statuses it applies in (a subset of `transitions`). */
export function changeFor(trigger: OrderTrigger): Rule {
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
      return cancellation(trigger);
    case 'ship':
      return {
        to: 'shipped',
        ...(trigger.trackingNote === undefined ? {} : { trackingNote: trigger.trackingNote }),
        from: ['paid'],
      };
    case 'deliver':
      return { to: 'delivered', from: ['shipped'] };
  }
}

/**
 * The change `trigger` makes to an order in `current`, or undefined when it makes none: a
 * duplicate, late or overtaken event finds the order moved on already, and a paid order stays
 * paid (a payment for a cancelled order is refunded by the payment service, not undone here). A
 * cancellation of an order that was paid says so (`wasPaid`): it is refunded.
 */
export function decide(current: OrderStatus, trigger: OrderTrigger): StatusChange | undefined {
  const { from, ...change } = changeFor(trigger);
  if (!from.includes(current) || !canMove(current, change.to)) return undefined;
  return change.to === 'cancelled' && PAID_STATUSES.includes(current) ? { ...change, wasPaid: true } : change;
}

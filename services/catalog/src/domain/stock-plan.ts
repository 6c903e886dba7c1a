import { createEvent, type EventEnvelope } from '@shop/shared';
import {
  mergeLines,
  release,
  reserve,
  restock,
  sell,
  shortagesOf,
  stepFor,
  type ProductStock,
  type Reservation,
  type Shortage,
  type StockEvent,
  type StockStep,
} from './stock.ts';

/** What became of one event, for the log. */
export interface StockNote {
  orderId: number;
  eventId: string;
  step: StockStep;
  /** With `reserve`: what was short, when nothing could be reserved. */
  shortages?: Shortage[];
}

/** Everything a batch of stock events changes, to be written in their inbox transaction. */
export interface StockPlan {
  /** The reservations the events created or moved, in their new state. */
  reservations: Map<number, Reservation>;
  /** The products whose units moved, with their new counts. */
  products: Map<number, ProductStock>;
  /** Whether what can be bought changed (a reservation, a release or a restock; a sale changes nothing shown). */
  shownStockChanged: boolean;
  /** `stock.reserved` or `stock.rejected` for every order that arrived. */
  announcements: (EventEnvelope<'stock.reserved'> | EventEnvelope<'stock.rejected'>)[];
  notes: StockNote[];
}

/**
 * Applies `events`, in delivery order, to the reservations of their orders and to the products
 * they name (both as locked for the transaction; every product a line names must be in
 * `products`, a missing one counts as none available). Each event sees what the ones before it
 * did, so a batch has the effect of the events applied one by one. An order is reserved whole or
 * not at all.
 */
export function planStock(
  events: readonly StockEvent[],
  reservations: ReadonlyMap<number, Reservation>,
  products: ReadonlyMap<number, ProductStock>,
): StockPlan {
  const plan: StockPlan = {
    reservations: new Map(),
    products: new Map(),
    shownStockChanged: false,
    announcements: [],
    notes: [],
  };
  const units = new Map(products);
  const current = (orderId: number) => plan.reservations.get(orderId) ?? reservations.get(orderId);
  const touched = new Set<number>();
  const touch = (lines: readonly { productId: number }[]) => {
    for (const { productId } of lines) if (units.has(productId)) touched.add(productId);
  };

  for (const event of events) {
    const { orderId } = event.data;
    const reservation = current(orderId);
    const step = stepFor(event.type, reservation);
    const note: StockNote = { orderId, eventId: event.id, step };
    plan.notes.push(note);
    const options = { correlationId: event.correlationId };
    switch (step) {
      case 'reserve': {
        // stepFor gives 'reserve' for order.created only.
        if (event.type !== 'order.created') break;
        const lines = mergeLines(event.data.items);
        const shortages = shortagesOf(event.data.items, units);
        if (shortages.length === 0) {
          reserve(units, lines);
          touch(lines);
          plan.shownStockChanged = true;
          plan.reservations.set(orderId, { state: 'reserved', lines });
          plan.announcements.push(createEvent('stock.reserved', event.data, options));
        } else {
          note.shortages = shortages;
          plan.reservations.set(orderId, { state: 'rejected', lines });
          const { userId } = event.data;
          plan.announcements.push(createEvent('stock.rejected', { orderId, userId, shortages }, options));
        }
        break;
      }
      case 'keep-cancelled':
        // The order was cancelled before it arrived: it keeps its lines for the record, reserves
        // nothing and is announced to no one (the order is cancelled already).
        if (event.type === 'order.created')
          plan.reservations.set(orderId, { state: 'released', lines: mergeLines(event.data.items) });
        break;
      case 'sell':
      case 'release': {
        const lines = reservation?.lines ?? [];
        if (step === 'sell') sell(units, lines);
        else {
          release(units, lines);
          plan.shownStockChanged = true;
        }
        touch(lines);
        plan.reservations.set(orderId, { state: step === 'sell' ? 'sold' : 'released', lines });
        break;
      }
      case 'restock': {
        const lines = reservation?.lines ?? [];
        restock(units, lines);
        plan.shownStockChanged = true;
        touch(lines);
        plan.reservations.set(orderId, { state: 'returned', lines });
        break;
      }
      case 'tombstone':
        plan.reservations.set(orderId, { state: 'released', lines: null });
        break;
      case 'duplicate':
      case 'no-reservation':
        break;
    }
  }
  for (const id of touched) {
    const product = units.get(id);
    if (product) plan.products.set(id, product);
  }
  return plan;
}

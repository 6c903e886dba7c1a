import { createEvent, type Delivery, type EventEnvelope } from '@shop/shared';
import type { StatusChange } from './order-status.ts';

/** What an order's events tell about it. */
export interface OrderFacts {
  id: number;
  userId: string;
  items: { productId: number; name: string; unitPriceCents: number; quantity: number }[];
  totalCents: number;
  currency: string;
  /** Where it goes, if the buyer said: `order.paid` tells the merchant. */
  delivery?: Delivery;
}

export type OrderAnnouncement =
  | EventEnvelope<'order.paid'>
  | EventEnvelope<'order.cancelled'>
  | EventEnvelope<'order.payment_failed'>
  | EventEnvelope<'order.shipped'>
  | EventEnvelope<'order.delivered'>;

/**
 * The event announcing a status change, or undefined for `awaiting_payment` (the catalog's own
 * `stock.reserved` announced that one). Those that move stock carry the order's items, so the
 * catalog and notification need nothing else; a cancellation for lack of stock names the short
 * lines, one with a note carries it, one of a paid order says so (`wasPaid`). Shipping carries
 * the tracking note for the buyer; a payment, the delivery details the merchant's alert shows.
 */
export function announcementOf(
  order: OrderFacts,
  change: StatusChange,
  correlationId?: string,
): OrderAnnouncement | undefined {
  const { id: orderId, userId, items, totalCents, currency, delivery } = order;
  const options = { correlationId };
  switch (change.to) {
    case 'paid':
      return createEvent(
        'order.paid',
        { orderId, userId, items, totalCents, currency, ...(delivery ? { delivery } : {}) },
        options,
      );
    case 'payment_failed':
      return createEvent('order.payment_failed', { orderId, userId, items }, options);
    case 'cancelled':
      if (!change.cancelReason) throw new Error(`order ${orderId}: a cancellation needs its reason`);
      return createEvent(
        'order.cancelled',
        {
          orderId,
          userId,
          reason: change.cancelReason,
          items,
          ...(change.shortages ? { shortages: change.shortages } : {}),
          ...(change.cancelNote === undefined ? {} : { note: change.cancelNote }),
          ...(change.wasPaid ? { wasPaid: true } : {}),
        },
        options,
      );
    case 'shipped':
      return createEvent(
        'order.shipped',
        {
          orderId,
          userId,
          ...(change.trackingNote === undefined ? {} : { trackingNote: change.trackingNote }),
        },
        options,
      );
    case 'delivered':
      return createEvent('order.delivered', { orderId, userId }, options);
    case 'pending':
    case 'awaiting_payment':
      return undefined;
  }
}

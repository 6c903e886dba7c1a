import type { CancelReason, Delivery, OrderChannel } from '@shop/shared';
import type { OrderStatus } from './order-status.ts';

/** An order as the API shows it (services/order/README.md). */
export interface OrderView {
  id: number;
  status: OrderStatus;
  items: { productId: number; name: string; unitPriceCents: number; quantity: number }[];
  totalCents: number;
  currency: string;
  createdAt: string;
  /** Only on `GET /orders/{id}`, to the buyer, when the order has delivery details. */
  delivery?: Delivery;
}

/** One order in full (`GET /orders/:id`): how it got where it is. */
export interface OrderDetailView extends OrderView {
  /** Every status it has had, oldest first, starting with `pending` when it was placed. */
  statusHistory: { status: OrderStatus; at: string }[];
  cancelReason?: CancelReason;
  /** Why it was cancelled, in the words of whoever cancelled it. */
  cancelNote?: string;
  /** Until when the stock is held for its payment; set once the catalog reserved it. */
  reservedUntil?: string;
  /** The merchant's note when shipping it. */
  trackingNote?: string;
  /** Where the buyer placed it, when not in the chat. */
  channel?: OrderChannel;
}

/** An order as the merchant sees it (`GET /admin/orders`): in full, and whose it is. */
export interface AdminOrderView extends OrderDetailView {
  userId: string;
}

interface OrderLike {
  id: number;
  status: OrderStatus;
  totalCents: number;
  currency: string;
  createdAt: Date;
}

interface ItemLike {
  productId: number;
  name: string;
  unitPriceCents: number;
  quantity: number;
}

export function toOrderView(order: OrderLike, items: readonly ItemLike[]): OrderView {
  return {
    id: order.id,
    status: order.status,
    items: items.map(({ productId, name, unitPriceCents, quantity }) => ({
      productId,
      name,
      unitPriceCents,
      quantity,
    })),
    totalCents: order.totalCents,
    currency: order.currency,
    createdAt: order.createdAt.toISOString(),
  };
}

interface DetailLike extends OrderLike {
  cancelReason?: CancelReason | null;
  cancelNote?: string | null;
  reservedUntil?: Date | null;
  trackingNote?: string | null;
  channel?: OrderChannel | null;
}

export function toOrderDetailView(
  order: DetailLike,
  items: readonly ItemLike[],
  history: readonly { status: OrderStatus; at: Date }[],
): OrderDetailView {
  return {
    ...toOrderView(order, items),
    statusHistory: [
      { status: 'pending', at: order.createdAt.toISOString() },
      ...history.map(({ status, at }) => ({ status, at: at.toISOString() })),
    ],
    ...(order.cancelReason ? { cancelReason: order.cancelReason } : {}),
    ...(order.cancelNote ? { cancelNote: order.cancelNote } : {}),
    ...(order.reservedUntil ? { reservedUntil: order.reservedUntil.toISOString() } : {}),
    ...(order.trackingNote ? { trackingNote: order.trackingNote } : {}),
    ...(order.channel ? { channel: order.channel } : {}),
  };
}

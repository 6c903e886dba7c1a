import type { Delivery } from '@shop/shared';
import type { OrderStatus } from '../db/entities.ts';

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

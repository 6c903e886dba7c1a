import type { ServiceEntityManager } from '@shop/shared';
import { notFound } from '@shop/shared';
import { Order, OrderDelivery } from '../db/entities.ts';
import {
  toOrderDetailView,
  toOrderView,
  type OrderDetailView,
  type OrderView,
} from '../domain/order-view.ts';

export interface OrderPage {
  items: OrderView[];
  page: number;
  limit: number;
  total: number;
}

const withItems = {
  populate: ['items'],
  populateOrderBy: { items: { id: 'asc' } },
  // One query for the page and one for its items: a join would multiply rows under the limit.
  strategy: 'select-in',
} as const;

/** The user's own orders, newest first. */
export async function listOrders(
  em: ServiceEntityManager,
  userId: string,
  page: number,
  limit: number,
): Promise<OrderPage> {
  const [orders, total] = await em.findAndCount(
    Order,
    { userId },
    { ...withItems, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit, offset: (page - 1) * limit },
  );
  return { items: orders.map((order) => toOrderView(order, order.items.getItems())), page, limit, total };
}

/**
 * One of the user's own orders, with its history and its delivery details if it has some (shown
 * only to its buyer, and to an admin: `getAdminOrder`); someone else's is "not found", never
 * "forbidden".
 */
export async function getOrder(
  em: ServiceEntityManager,
  userId: string,
  id: number,
): Promise<OrderDetailView> {
  const { userId: _owner, ...view } = await findOrder(em, { id, userId });
  return view;
}

/** Any buyer's order as `getOrder` shows it to its buyer, and whose it is: for an admin. */
export function getAdminOrder(
  em: ServiceEntityManager,
  id: number,
): Promise<OrderDetailView & { userId: string }> {
  return findOrder(em, { id });
}

async function findOrder(
  em: ServiceEntityManager,
  where: { id: number; userId?: string },
): Promise<OrderDetailView & { userId: string }> {
  const { id } = where;
  const order = await em.findOne(Order, where, {
    populate: ['items', 'history'],
    populateOrderBy: { items: { id: 'asc' }, history: { id: 'asc' } },
    strategy: 'select-in',
  });
  if (!order) throw notFound(`order ${id}`);
  const delivery = await em.findOne(OrderDelivery, { order: id });
  const view = {
    ...toOrderDetailView(order, order.items.getItems(), order.history.getItems()),
    userId: order.userId,
  };
  return delivery
    ? { ...view, delivery: { name: delivery.name, phone: delivery.phone, address: delivery.address } }
    : view;
}

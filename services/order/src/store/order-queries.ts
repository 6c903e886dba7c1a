import type { Delivery, ServiceEntityManager } from '@shop/shared';
import { notFound } from '@shop/shared';
import { Order, OrderDelivery } from '../db/entities.ts';
import type { OrderStatus } from '../domain/order-status.ts';
import {
  toOrderDetailView,
  toOrderView,
  type AdminOrderView,
  type OrderDetailView,
  type OrderView,
} from '../domain/order-view.ts';

export interface Page<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
}
export type OrderPage = Page<OrderView>;

const withItems = {
  populate: ['items'],
  populateOrderBy: { items: { id: 'asc' } },
  // One query for the page and one for its items: a join would multiply rows under the limit.
  strategy: 'select-in',
} as const;

const inFull = {
  populate: ['items', 'history'],
  populateOrderBy: { items: { id: 'asc' }, history: { id: 'asc' } },
  strategy: 'select-in',
} as const;

const newestFirst = [{ createdAt: 'desc' }, { id: 'desc' }] as const;

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
    { ...withItems, orderBy: [...newestFirst], limit, offset: (page - 1) * limit },
  );
  return { items: orders.map((order) => toOrderView(order, order.items.getItems())), page, limit, total };
}

/** The delivery details of these orders, by order id, in one query. */
async function deliveriesOf(em: ServiceEntityManager, orderIds: number[]): Promise<Map<number, Delivery>> {
  if (orderIds.length === 0) return new Map();
  const rows = await em.find(OrderDelivery, { order: { $in: orderIds } });
  return new Map(
    rows.map(({ order, name, phone, address }) => [order.id, { name, phone, address }] as const),
  );
}

/** An order loaded with its items and history, in full: with its delivery details if it has some. */
function detailOf(order: Order, delivery: Delivery | undefined): OrderDetailView {
  const view = toOrderDetailView(order, order.items.getItems(), order.history.getItems());
  return delivery ? { ...view, delivery } : view;
}

/** Orders loaded with their items and history, as the merchant sees them: in full, and whose. */
async function adminViewsOf(em: ServiceEntityManager, orders: Order[]): Promise<AdminOrderView[]> {
  const deliveries = await deliveriesOf(
    em,
    orders.map((order) => order.id),
  );
  return orders.map((order) => ({ ...detailOf(order, deliveries.get(order.id)), userId: order.userId }));
}

/**
 * One of the user's own orders, with its history and its delivery details if it has some (shown
 * only here, to its buyer, and to the merchant); someone else's is "not found", never "forbidden".
 */
export async function getOrder(
  em: ServiceEntityManager,
  userId: string,
  id: number,
): Promise<OrderDetailView> {
  const order = await em.findOne(Order, { id, userId }, inFull);
  if (!order) throw notFound(`order ${id}`);
  return detailOf(order, (await deliveriesOf(em, [id])).get(id));
}

/** Any order, as the merchant sees it. */
export async function getAdminOrder(em: ServiceEntityManager, id: number): Promise<AdminOrderView> {
  const order = await em.findOne(Order, { id }, inFull);
  if (!order) throw notFound(`order ${id}`);
  return { ...detailOf(order, (await deliveriesOf(em, [id])).get(id)), userId: order.userId };
}

/** Every buyer's orders (only those in `status`, when given), newest first, as the merchant sees them. */
export async function listAdminOrders(
  em: ServiceEntityManager,
  { status, page, limit }: { status?: OrderStatus | undefined; page: number; limit: number },
): Promise<Page<AdminOrderView>> {
  const [orders, total] = await em.findAndCount(Order, status ? { status } : {}, {
    ...inFull,
    orderBy: [...newestFirst],
    limit,
    offset: (page - 1) * limit,
  });
  return { items: await adminViewsOf(em, orders), page, limit, total };
}

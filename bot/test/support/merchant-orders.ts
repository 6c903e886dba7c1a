import { eventually } from '@shop/testkit';
import { expect } from 'vitest';
import type { RealShop } from './real-shop.ts';

/** Delivery details as a buyer gave them. */
export const BUYER_DELIVERY = {
  name: 'Anna Petrova',
  phone: '+44 20 7946 0958',
  address: '221B Baker Street, London',
};

interface OrderDetail {
  id: number;
  status: string;
  trackingNote?: string;
  cancelNote?: string;
  statusHistory: { status: string; at: string }[];
}

/**
 * Orders placed by buyers of the real shop (each a new account, through the order service as any
 * front end does; the simulated provider pays them), and what the merchant does to them through
 * the services, for arranging what a test then shows in the bot.
 */
export function buyersOf(shop: RealShop) {
  const call = async (method: string, path: string, token: string, body?: object) =>
    shop.apps.order.request(path, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const asAdmin = async (method: string, path: string, body?: object) =>
    call(method, path, await shop.adminToken(), body);

  /** The order as the merchant sees it now. */
  const detail = async (id: number) =>
    (await (await asAdmin('GET', `/admin/orders/${id}`)).json()) as OrderDetail;

  return {
    detail,
    /** A new buyer's order of `items`, paid (the simulated provider charges it); its number and buyer. */
    async paidOrder(items = [{ productId: 1, quantity: 1 }]) {
      const buyer = await shop.signUp('buyer');
      const res = await call('POST', '/orders', buyer.accessToken, { items, delivery: BUYER_DELIVERY });
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: number };
      await eventually(async () => expect((await detail(id)).status).toBe('paid'));
      return { id, buyer };
    },
    /** The buyer's own view of their order. */
    async asBuyer(id: number, token: string) {
      return (await (await call('GET', `/orders/${id}`, token)).json()) as OrderDetail;
    },
    /** The payments of the order as its buyer sees them. */
    async paymentsOf(id: number, token: string) {
      const res = await shop.apps.payment.request(`/payments?orderId=${id}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      return (await res.json()) as { status: string }[];
    },
    ship: (id: number) => asAdmin('POST', `/orders/${id}/ship`),
    deliver: (id: number) => asAdmin('POST', `/orders/${id}/deliver`),
    cancel: (id: number) => asAdmin('POST', `/orders/${id}/cancel`),
  };
}

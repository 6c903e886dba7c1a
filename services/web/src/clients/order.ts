import { deliverySchema, orderChannels, orderStatuses, type Language, type OrderChannel } from '@shop/shared';
import { z } from 'zod';
import type { ServiceCaller } from './http.ts';

const cartSchema = z.object({
  items: z.array(
    z.object({
      productId: z.number().int(),
      name: z.string(),
      unitPriceCents: z.number().int().nullable(),
      currency: z.string().nullable(),
      quantity: z.number().int(),
      stock: z.number().int(),
      available: z.boolean(),
    }),
  ),
  totalCents: z.number().int(),
  currency: z.string().nullable(),
  /** The delivery details of the buyer's latest order that had some (the bot's too). */
  delivery: deliverySchema.nullable().catch(null),
});
export type Cart = z.infer<typeof cartSchema>;

export type { OrderStatus } from '@shop/shared';

const orderSchema = z.object({
  id: z.number().int(),
  status: z.enum(orderStatuses),
  items: z.array(
    z.object({
      productId: z.number().int(),
      name: z.string(),
      unitPriceCents: z.number().int(),
      quantity: z.number().int(),
    }),
  ),
  totalCents: z.number().int(),
  currency: z.string(),
  createdAt: z.string(),
  delivery: deliverySchema.optional().catch(undefined),
  trackingNote: z.string().optional(),
  /** Where it was placed (`GET /orders/:id` only); absent for the chat. */
  channel: z.enum(orderChannels).optional().catch(undefined),
});
export type Order = z.infer<typeof orderSchema>;

const orderPageSchema = z.object({
  items: z.array(orderSchema),
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
});
export type OrderPage = z.infer<typeof orderPageSchema>;

export interface Checkout {
  delivery: z.infer<typeof deliverySchema>;
  expectedTotalCents: number;
  idempotencyKey: string;
  /** A browser's order (`web`, paid by the web method) or a Mini App's (`mini_app`, by a Telegram invoice). */
  channel: OrderChannel;
}

/** The buyer's cart and orders at the order service, as the access token's account (services/order/README.md). */
export interface OrderClient {
  cart(token: string, lang: Language): Promise<Cart>;
  /** 404 `product_not_found`, 409 `cart_full`: `ServiceAnswer`s. */
  setQuantity(token: string, productId: number, quantity: number, lang: Language): Promise<Cart>;
  remove(token: string, productId: number, lang: Language): Promise<Cart>;
  /** The cart as an order; its 409s (`price_changed`, `cart_empty`, …) are `ServiceAnswer`s. */
  checkout(token: string, checkout: Checkout): Promise<Order>;
  orders(token: string, page: number, limit: number): Promise<OrderPage>;
  /** 404 (none, or someone else's) is a `ServiceAnswer`. */
  order(token: string, id: number): Promise<Order>;
}

export function orderClient(order: ServiceCaller): OrderClient {
  const as = (token: string, lang?: Language) => ({
    Authorization: `Bearer ${token}`,
    ...(lang ? { 'Accept-Language': lang } : {}),
  });
  const sendCart = async (
    path: string,
    token: string,
    lang: Language,
    sending: { method: 'PUT' | 'DELETE'; body?: unknown },
  ) => order.send(cartSchema, path, { ...sending, headers: as(token, lang) });
  return {
    cart: (token, lang) => order.json(cartSchema, '/cart', as(token, lang)),
    setQuantity: (token, productId, quantity, lang) =>
      sendCart(`/cart/items/${productId}`, token, lang, { method: 'PUT', body: { quantity } }),
    remove: (token, productId, lang) =>
      sendCart(`/cart/items/${productId}`, token, lang, { method: 'DELETE' }),
    checkout: (token, { delivery, expectedTotalCents, idempotencyKey, channel }) =>
      order.send(orderSchema, '/orders', {
        method: 'POST',
        body: { fromCart: true, delivery, expectedTotalCents, channel },
        headers: { ...as(token), 'Idempotency-Key': idempotencyKey },
      }),
    orders: (token, page, limit) =>
      order.json(orderPageSchema, `/orders?page=${page}&limit=${limit}`, as(token)),
    order: (token, id) => order.json(orderSchema, `/orders/${id}`, as(token)),
  };
}

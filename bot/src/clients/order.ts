import type { Delivery } from '@shop/shared';
import { z } from 'zod';
import { bearer, createHttpClient, type HttpClientOptions, listOf, ServiceResponseError } from './http.ts';
import { createOrderAdmin, type OrderAdmin } from './order-admin.ts';

const idSchema = z.union([z.number(), z.string()]).transform(String);

const lineSchema = z.object({
  productId: idSchema,
  name: z.string(),
  unitPriceCents: z.number().int(),
  quantity: z.number().int(),
});

const orderSchema = z.object({
  id: idSchema,
  status: z.string(),
  items: z.array(lineSchema),
  totalCents: z.number().int(),
  currency: z.string(),
  createdAt: z.string(),
  // Only on one order (`GET /orders/:id`), and only where set.
  cancelReason: z.string().optional(),
  cancelNote: z.string().optional(),
  trackingNote: z.string().optional(),
  reservedUntil: z.string().optional(),
});
export type Order = z.infer<typeof orderSchema>;

const deliverySchema = z.object({ name: z.string(), phone: z.string(), address: z.string() });

const cartSchema = z.object({
  items: z.array(
    z.object({
      productId: idSchema,
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
  // An addition of this shop to the contract's cart: absent elsewhere means none remembered.
  delivery: deliverySchema.nullable().default(null),
});
export type Cart = z.infer<typeof cartSchema>;
export type CartLine = Cart['items'][number];

export interface OrderItemInput {
  productId: string;
  quantity: number;
}

/** The listed items, or the buyer's cart, at the total the buyer confirmed, delivered there. */
export type OrderInput = ({ items: OrderItemInput[] } | { fromCart: true }) & {
  /** The total the buyer confirmed: the order service places the order at it or not at all. */
  expectedTotalCents: number;
  delivery: Delivery;
};

const currentPricesSchema = z.object({
  items: z.array(lineSchema),
  totalCents: z.number().int(),
  currency: z.string(),
});
export type CurrentPrices = z.infer<typeof currentPricesSchema>;

/** 409 price_changed: nothing was ordered; `current` is what the order would cost now. */
export class PriceChangedError extends Error {
  readonly current: CurrentPrices;

  constructor(current: CurrentPrices) {
    super(`the order now totals ${current.totalCents} ${current.currency}`);
    this.name = 'PriceChangedError';
    this.current = current;
  }
}

/** Carts and orders of the signed-in user (services/order/README.md). */
export interface OrderClient {
  /**
   * `locale` asks the order service to keep the item names in the buyer's language. Throws
   * PriceChangedError when the prices no longer give `expectedTotalCents`.
   */
  create(accessToken: string, order: OrderInput, idempotencyKey: string, locale: string): Promise<Order>;
  /** The buyer's cart at current prices, names in `locale`, with the delivery details last used. */
  cart(accessToken: string, locale: string): Promise<Cart>;
  /**
   * Sets how many of a product are in the cart. ServiceResponseError 404 for a product the
   * catalog no longer sells, 409 `cart_full` beyond the cart's 20 products.
   */
  setCartQuantity(accessToken: string, productId: string, quantity: number, locale: string): Promise<Cart>;
  removeFromCart(accessToken: string, productId: string, locale: string): Promise<Cart>;
  clearCart(accessToken: string): Promise<void>;
  list(accessToken: string): Promise<Order[]>;
  /** Undefined when the order does not exist or is someone else's. */
  get(accessToken: string, id: string): Promise<Order | undefined>;
  /**
   * Cancels the buyer's unpaid order: the order as it is now, `gone` when it does not exist or is
   * someone else's, `final` when it can no longer be cancelled (paid, cancelled, failed).
   */
  cancel(accessToken: string, id: string): Promise<Order | 'gone' | 'final'>;
  /** The merchant's desk, each call with an admin's access token. */
  admin: OrderAdmin;
  ping(): Promise<void>;
}

const numericId = (id: string) => (/^\d+$/.test(id) ? Number(id) : id);

export function createOrderClient(options: Omit<HttpClientOptions, 'service'>): OrderClient {
  const orders = createHttpClient({ ...options, service: 'order' });
  return {
    async create(token, order, idempotencyKey, locale) {
      const what =
        'items' in order
          ? {
              items: order.items.map((item) => ({
                productId: numericId(item.productId),
                quantity: item.quantity,
              })),
            }
          : { fromCart: true };
      try {
        return await orders.json(orderSchema, '/orders', {
          method: 'POST',
          body: { ...what, expectedTotalCents: order.expectedTotalCents, delivery: order.delivery },
          headers: { ...bearer(token), 'Idempotency-Key': idempotencyKey, 'Accept-Language': locale },
        });
      } catch (error) {
        throw priceChangedOr(error);
      }
    },
    cart: (token, locale) =>
      orders.json(cartSchema, '/cart', { headers: { ...bearer(token), 'Accept-Language': locale } }),
    setCartQuantity: (token, productId, quantity, locale) =>
      orders.json(cartSchema, `/cart/items/${encodeURIComponent(productId)}`, {
        method: 'PUT',
        body: { quantity },
        headers: { ...bearer(token), 'Accept-Language': locale },
      }),
    removeFromCart: (token, productId, locale) =>
      orders.json(cartSchema, `/cart/items/${encodeURIComponent(productId)}`, {
        method: 'DELETE',
        headers: { ...bearer(token), 'Accept-Language': locale },
      }),
    clearCart: (token) => orders.empty('/cart', { method: 'DELETE', headers: bearer(token) }),
    list: (token) => orders.json(listOf(orderSchema), '/orders', { headers: bearer(token) }),
    async get(token, id) {
      if (!/^[\w-]{1,64}$/.test(id)) return undefined;
      try {
        return await orders.json(orderSchema, `/orders/${id}`, { headers: bearer(token) });
      } catch (error) {
        if (error instanceof ServiceResponseError && (error.status === 404 || error.status === 400))
          return undefined;
        throw error;
      }
    },
    async cancel(token, id) {
      if (!/^[\w-]{1,64}$/.test(id)) return 'gone';
      try {
        return await orders.json(orderSchema, `/orders/${id}/cancel`, {
          method: 'POST',
          headers: bearer(token),
        });
      } catch (error) {
        if (error instanceof ServiceResponseError && (error.status === 404 || error.status === 400))
          return 'gone';
        if (error instanceof ServiceResponseError && error.code === 'invalid_transition') return 'final';
        throw error;
      }
    },
    admin: createOrderAdmin(orders),
    ping: () => orders.empty('/health'),
  };
}

/** A price_changed refusal with the current prices becomes PriceChangedError; anything else stays. */
function priceChangedOr(error: unknown): unknown {
  if (!(error instanceof ServiceResponseError && error.code === 'price_changed')) return error;
  const current = currentPricesSchema.safeParse(error.details);
  return current.success ? new PriceChangedError(current.data) : error;
}

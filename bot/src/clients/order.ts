import { z } from 'zod';
import { bearer, createHttpClient, type HttpClientOptions, ServiceResponseError } from './http.ts';

const idSchema = z.union([z.number(), z.string()]).transform(String);

const orderSchema = z.object({
  id: idSchema,
  status: z.string(),
  items: z.array(
    z.object({
      productId: idSchema,
      name: z.string(),
      unitPriceCents: z.number().int(),
      quantity: z.number().int(),
    }),
  ),
  totalCents: z.number().int(),
  currency: z.string(),
  createdAt: z.string(),
});
export type Order = z.infer<typeof orderSchema>;

const paymentSchema = z.object({
  id: idSchema,
  orderId: idSchema,
  status: z.string(),
  amountCents: z.number().int(),
  currency: z.string(),
});
export type Payment = z.infer<typeof paymentSchema>;

// The contract says "list"; take a bare array or a `{items}` page alike.
const listOf = <S extends z.ZodType>(item: S) =>
  z
    .union([z.array(item), z.object({ items: z.array(item) })])
    .transform((body) => (Array.isArray(body) ? body : body.items));

export interface OrderItemInput {
  productId: string;
  quantity: number;
}

/** Orders and payments of the signed-in user (services/order/README.md, services/payment/README.md). */
export interface OrderClient {
  /** `locale` asks the order service to keep the item names in the buyer's language. */
  create(
    accessToken: string,
    items: OrderItemInput[],
    idempotencyKey: string,
    locale: string,
  ): Promise<Order>;
  list(accessToken: string): Promise<Order[]>;
  /** Undefined when the order does not exist or is someone else's. */
  get(accessToken: string, id: string): Promise<Order | undefined>;
  payments(accessToken: string, orderId: string): Promise<Payment[]>;
  ping(): Promise<void>;
}

const numericId = (id: string) => (/^\d+$/.test(id) ? Number(id) : id);

export function createOrderClient(
  order: Omit<HttpClientOptions, 'service'>,
  payment: Omit<HttpClientOptions, 'service'>,
): OrderClient {
  const orders = createHttpClient({ ...order, service: 'order' });
  const payments = createHttpClient({ ...payment, service: 'payment' });
  return {
    create: (token, items, idempotencyKey, locale) =>
      orders.json(orderSchema, '/orders', {
        method: 'POST',
        body: {
          items: items.map((item) => ({ productId: numericId(item.productId), quantity: item.quantity })),
        },
        headers: { ...bearer(token), 'Idempotency-Key': idempotencyKey, 'Accept-Language': locale },
      }),
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
    payments: (token, orderId) =>
      payments.json(listOf(paymentSchema), '/payments', { query: { orderId }, headers: bearer(token) }),
    ping: () => orders.empty('/health'),
  };
}

import { z } from 'zod';
import { bearer, type HttpClient, ServiceResponseError, pageOf } from './http.ts';

const deliverySchema = z.object({ name: z.string(), phone: z.string(), address: z.string() });

const adminOrderSchema = z.object({
  id: z.number().int(),
  userId: z.string(),
  status: z.string(),
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
  statusHistory: z.array(z.object({ status: z.string(), at: z.string() })),
  delivery: deliverySchema.optional(),
  cancelReason: z.string().optional(),
  cancelNote: z.string().optional(),
  trackingNote: z.string().optional(),
});
export type AdminOrder = z.infer<typeof adminOrderSchema>;

const adminOrderPageSchema = pageOf(adminOrderSchema);
export type AdminOrderPage = z.infer<typeof adminOrderPageSchema>;

const moneySchema = z.object({ currency: z.string(), totalCents: z.number().int() });
const periodSchema = z.object({
  orders: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  paidOrders: z.number().int(),
  revenue: z.array(moneySchema),
  buyers: z.number().int(),
  newBuyers: z.number().int(),
});
export type PeriodStats = z.infer<typeof periodSchema>;
const productSalesSchema = z.object({
  productId: z.number().int(),
  name: z.string(),
  currency: z.string(),
  units: z.number().int(),
  revenueCents: z.number().int(),
});
export type ProductSales = z.infer<typeof productSalesSchema>;

const statsSchema = z.object({
  timeZone: z.string(),
  periods: z.object({ today: periodSchema, last7Days: periodSchema, last30Days: periodSchema }),
  topProducts: z.object({ byUnits: z.array(productSalesSchema), byRevenue: z.array(productSalesSchema) }),
});
export type ShopStats = z.infer<typeof statsSchema>;

/**
 * What became of a merchant's move: the order as it is now, or `{ refused }` with the status the
 * order is in when the move no longer applies to it (409 invalid_transition: someone else did
 * it first, or it was cancelled meanwhile).
 */
export type MoveResult = { order: AdminOrder } | { refused: string };

const refusalSchema = z.object({ status: z.string() });

/**
 * The order service's merchant routes (services/order/README.md), each with an admin's access
 * token, so the order service checks the role again. `undefined`: there is no such order.
 */
export function createOrderAdmin(http: HttpClient) {
  const orGone = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ServiceResponseError && error.status === 404) return undefined;
      throw error;
    }
  };
  const move = (token: string, order: number, action: string, body?: object) =>
    orGone(async (): Promise<MoveResult> => {
      try {
        const moved = await http.json(adminOrderSchema, `/orders/${order}/${action}`, {
          method: 'POST',
          headers: bearer(token),
          ...(body === undefined ? {} : { body }),
        });
        return { order: moved };
      } catch (error) {
        const refusal = error instanceof ServiceResponseError && error.code === 'invalid_transition';
        const details = refusal ? refusalSchema.safeParse(error.details) : undefined;
        if (details?.success) return { refused: details.data.status };
        throw error;
      }
    });
  const note = (key: string, text: string | undefined) => (text === undefined ? undefined : { [key]: text });

  return {
    /** Every buyer's orders in `status`, newest first, a page at a time. */
    orders: (token: string, query: { status: string; page: number; limit: number }) =>
      http.json(adminOrderPageSchema, '/admin/orders', { query, headers: bearer(token) }),
    order: (token: string, order: number) =>
      orGone(() => http.json(adminOrderSchema, `/admin/orders/${order}`, { headers: bearer(token) })),
    ship: (token: string, order: number, trackingNote?: string) =>
      move(token, order, 'ship', note('trackingNote', trackingNote)),
    deliver: (token: string, order: number) => move(token, order, 'deliver'),
    /** Cancels as the merchant: a paid order is refunded; `reason` is told to the buyer. */
    cancel: (token: string, order: number, reason?: string) =>
      move(token, order, 'cancel', note('note', reason)),
    stats: (token: string) => http.json(statsSchema, '/admin/stats', { headers: bearer(token) }),
  };
}

export type OrderAdmin = ReturnType<typeof createOrderAdmin>;

import { baseConfigSchema, loadConfigOrExit, ports } from '@shop/shared';
import { z } from 'zod';

export const orderConfigSchema = baseConfigSchema.extend({
  ORDER_PORT: ports.ORDER_PORT,
  CATALOG_URL: z.url().default('http://127.0.0.1:3002'),
  /** A catalog slower than this fails the order with 503 instead of holding the buyer's request. */
  CATALOG_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(2_000),
  /** How long a used Idempotency-Key answers with its first response; the contract promises at least 24 h. */
  IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(24)
    .max(24 * 30)
    .default(24),
  /** How long the catalog holds an order's stock for its payment; an order unpaid by then is cancelled. */
  ORDER_RESERVATION_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(15),
});

export type OrderConfig = z.infer<typeof orderConfigSchema>;

export const loadOrderConfig = () => loadConfigOrExit(orderConfigSchema);

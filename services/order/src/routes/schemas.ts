import { z } from '@hono/zod-openapi';
import { cancelReasons } from '@shop/shared';
import { orderStatuses } from '../domain/order-status.ts';

export const MAX_ITEMS = 20;
export const MAX_QUANTITY = 100;
export const MAX_PAGE_SIZE = 50;

const productId = z.number().int().positive().max(2_147_483_647);

export const orderRequestSchema = z
  .strictObject({
    items: z
      .array(
        z.strictObject({
          productId,
          quantity: z.number().int().min(1).max(MAX_QUANTITY),
        }),
      )
      .min(1, 'must list at least one product')
      .max(MAX_ITEMS, `must list at most ${MAX_ITEMS} products`)
      .refine((items) => new Set(items.map((item) => item.productId)).size === items.length, {
        message: 'must not list a product twice: put the whole quantity on one line',
      }),
    expectedTotalCents: z.number().int().min(0).max(2_147_483_647).optional().openapi({
      description:
        'The total the buyer saw and confirmed; if the catalog prices the order differently, 409 price_changed and nothing is created',
      example: 900,
    }),
  })
  .openapi('OrderRequest', { example: { items: [{ productId: 1, quantity: 2 }], expectedTotalCents: 900 } });

// Lower case: Hono hands headers to the validator that way (HTTP header names are case-insensitive).
export const idempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({
      param: { name: 'idempotency-key', in: 'header' },
      description:
        'Repeats of a request with the same key (per user, kept 24 h) get the first response and create nothing',
      example: '3f0c9a4e-6f1d-4c59-9b57-0d6d3c1f2a10',
    }),
});

export const orderIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, 'must be an order number')
    .openapi({ param: { name: 'id', in: 'path' }, example: '42' }),
});

export const orderListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1).openapi({ example: 1 }),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(10).openapi({ example: 10 }),
});

export const orderSchema = z
  .object({
    id: z.number().int().openapi({ description: 'The order number shown to the user as "#N"' }),
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
    currency: z.string().openapi({ example: 'EUR' }),
    createdAt: z.iso.datetime(),
  })
  .openapi('Order');

export const orderDetailSchema = orderSchema
  .extend({
    statusHistory: z.array(z.object({ status: z.enum(orderStatuses), at: z.iso.datetime() })).openapi({
      description: 'Every status the order has had, oldest first, from `pending` when it was placed',
    }),
    cancelReason: z
      .enum(cancelReasons)
      .optional()
      .openapi({ description: 'Why it was cancelled; only when it was' }),
    reservedUntil: z.iso.datetime().optional().openapi({
      description: 'The stock is held until then; unpaid by then, the order is cancelled (`expired`)',
    }),
  })
  .openapi('OrderDetail');

export const orderPageSchema = z
  .object({
    items: z.array(orderSchema),
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
  })
  .openapi('OrderPage');

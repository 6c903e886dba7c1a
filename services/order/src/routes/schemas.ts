import { z } from '@hono/zod-openapi';
import { cancelReasons, deliverySchema, orderChannels, orderNote } from '@shop/shared';
import { orderStatuses } from '../domain/order-status.ts';
import { MAX_ITEMS, MAX_QUANTITY } from '../domain/limits.ts';

export { MAX_ITEMS, MAX_QUANTITY };
export const MAX_PAGE_SIZE = 50;

export const productIdSchema = z.number().int().positive().max(2_147_483_647);
export const quantitySchema = z.number().int().min(1).max(MAX_QUANTITY);

// The shared rule's fields in an object of this zod-openapi instance, which can carry the document's name.
export const deliveryRequestSchema = z.strictObject(deliverySchema.shape).openapi('Delivery', {
  description:
    'Name (1-100 characters), phone (7-15 digits, optionally a leading + and spaces, dashes or parentheses) and address (1-500 characters), trimmed',
  example: { name: 'Anna Petrova', phone: '+44 20 7946 0958', address: '221B Baker Street, London' },
});

export const orderRequestSchema = z
  .strictObject({
    items: z
      .array(z.strictObject({ productId: productIdSchema, quantity: quantitySchema }))
      .min(1, 'must list at least one product')
      .max(MAX_ITEMS, `must list at most ${MAX_ITEMS} products`)
      .refine((items) => new Set(items.map((item) => item.productId)).size === items.length, {
        message: 'must not list a product twice: put the whole quantity on one line',
      })
      .optional(),
    fromCart: z.literal(true).optional().openapi({
      description:
        'Order what is in your cart instead of `items`; the cart is emptied in the same transaction. Requires `delivery`',
    }),
    expectedTotalCents: z.number().int().min(0).max(2_147_483_647).optional().openapi({
      description:
        'The total the buyer saw and confirmed; if the catalog prices the order differently, 409 price_changed and nothing is created',
      example: 900,
    }),
    delivery: deliveryRequestSchema.optional(),
    channel: z.enum(orderChannels).optional().openapi({
      description:
        'Where the buyer places it, which decides how it is paid: `chat` (the default) and `mini_app` by a Telegram invoice, `web` (a browser) by the web payment method. 409 stars_need_telegram for a `web` order priced in Telegram Stars (XTR), which only Telegram can take',
      example: 'web',
    }),
  })
  .superRefine((body, ctx) => {
    if (body.items === undefined && body.fromCart === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['items'],
        message: 'must list products, or send fromCart: true',
      });
    if (body.items !== undefined && body.fromCart !== undefined)
      ctx.addIssue({ code: 'custom', path: ['fromCart'], message: 'cannot be combined with items' });
    if (body.fromCart && body.delivery === undefined)
      ctx.addIssue({ code: 'custom', path: ['delivery'], message: 'is required to check out the cart' });
  })
  .openapi('OrderRequest', { example: { items: [{ productId: 1, quantity: 2 }], expectedTotalCents: 900 } });

export type OrderRequest = z.infer<typeof orderRequestSchema>;

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
    delivery: deliveryRequestSchema.optional().openapi({
      description: 'Where the order goes; only `GET /orders/{id}` shows it, to the buyer',
    }),
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
    cancelNote: z.string().optional().openapi({
      description: 'Why it was cancelled, in the words of whoever cancelled it; only when they gave some',
    }),
    reservedUntil: z.iso.datetime().optional().openapi({
      description: 'The stock is held until then; unpaid by then, the order is cancelled (`expired`)',
    }),
    trackingNote: z.string().optional().openapi({
      description: "The merchant's note when shipping it (carrier, tracking number); only when given",
    }),
    channel: z.enum(orderChannels).optional().openapi({
      description: 'Where it was placed, when the buyer said (`mini_app`, `web`); absent for the chat',
    }),
  })
  .openapi('OrderDetail');

export const cancelRequestSchema = z
  .strictObject({
    note: orderNote.optional().openapi({
      description:
        "Why, in 1-500 characters (trimmed). A merchant's is shown to the buyer; a buyer's to the merchant",
      example: 'Sorry, this colour is no longer made',
    }),
  })
  .openapi('CancelRequest');

export const orderPageSchema = z
  .object({
    items: z.array(orderSchema),
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
  })
  .openapi('OrderPage');

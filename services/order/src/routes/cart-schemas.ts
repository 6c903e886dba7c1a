import { z } from '@hono/zod-openapi';
import { deliveryRequestSchema, quantitySchema } from './schemas.ts';

export const cartProductParamsSchema = z.object({
  productId: z
    .string()
    .regex(/^[1-9]\d{0,9}$/, 'must be a product id')
    .refine((id) => Number(id) <= 2_147_483_647, 'must be a product id')
    .openapi({ param: { name: 'productId', in: 'path' }, example: '12' }),
});

export const cartQuantitySchema = z
  .strictObject({
    quantity: quantitySchema.openapi({ description: 'A whole number from 1 to 100', example: 2 }),
  })
  .openapi('CartQuantity');

export const cartSchema = z
  .object({
    items: z.array(
      z.object({
        productId: z.number().int(),
        name: z.string(),
        unitPriceCents: z
          .number()
          .int()
          .nullable()
          .openapi({ description: "The catalog's price now; null when it no longer sells the product" }),
        currency: z.string().nullable(),
        quantity: z.number().int(),
        stock: z
          .number()
          .int()
          .openapi({ description: 'What can be bought now; 0 for a product that is gone' }),
        available: z
          .boolean()
          .openapi({ description: 'False when the product is gone or has less stock than the quantity' }),
      }),
    ),
    totalCents: z.number().int().openapi({ description: 'The sum over the available lines' }),
    currency: z.string().nullable().openapi({ description: 'Null for a cart without a live product' }),
    delivery: deliveryRequestSchema.nullable().openapi({
      description: 'The delivery details of your latest order that had some, to offer at the next checkout',
    }),
  })
  .openapi('Cart');

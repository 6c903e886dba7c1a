import { z } from '@hono/zod-openapi';
import { orderNote } from '@shop/shared';
import { orderStatuses } from '../domain/order-status.ts';
import { orderDetailSchema, orderListQuerySchema } from './schemas.ts';

export const adminOrderListQuerySchema = orderListQuerySchema.extend({
  status: z
    .enum(orderStatuses)
    .optional()
    .openapi({ description: 'Only the orders in this status; every order without it', example: 'paid' }),
});

export const adminOrderSchema = orderDetailSchema
  .extend({ userId: z.uuid().openapi({ description: "The buyer's account id" }) })
  .openapi('AdminOrder', {
    description: 'An order as the merchant sees it: in full, with its delivery details and its buyer',
  });

export const adminOrderPageSchema = z
  .object({
    items: z.array(adminOrderSchema),
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
  })
  .openapi('AdminOrderPage');

export const shipRequestSchema = z
  .strictObject({
    trackingNote: orderNote.optional().openapi({
      description: 'For the buyer, in 1-500 characters (trimmed): a carrier, a tracking number',
      example: 'DHL 00340434161094042557',
    }),
  })
  .openapi('ShipRequest');

import { z } from '@hono/zod-openapi';
import { paymentMethods, paymentStatuses } from '../db/entities.ts';

export const paymentQuerySchema = z.object({
  orderId: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, 'must be an order number (a positive integer)')
    .openapi({ param: { name: 'orderId', in: 'query' }, example: '42' }),
});

export const paymentSchema = z
  .object({
    id: z.uuid(),
    orderId: z.number().int(),
    status: z.enum(paymentStatuses),
    amountCents: z.number().int(),
    currency: z.string().openapi({ example: 'EUR' }),
    method: z.enum(paymentMethods),
  })
  .openapi('Payment');

export const paymentListSchema = z.array(paymentSchema).openapi('PaymentList');

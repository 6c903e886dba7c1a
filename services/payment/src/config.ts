import { baseConfigSchema, loadConfigOrExit, ports } from '@shop/shared';
import { z } from 'zod';

export const paymentConfigSchema = baseConfigSchema.extend({
  PAYMENT_PORT: ports.PAYMENT_PORT,
  /** The simulated provider declines orders whose total is above this. */
  PAYMENT_DECLINE_ABOVE_CENTS: z.coerce.number().int().nonnegative().default(100_000),
  /** How long each simulated charge takes, to see the system under a slow provider. */
  PAYMENT_PROVIDER_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** Share of simulated charges (0..1) that fail with a transient error, so the consumer retries them. */
  PAYMENT_PROVIDER_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
});

export type PaymentConfig = z.infer<typeof paymentConfigSchema>;

export const loadPaymentConfig = () => loadConfigOrExit(paymentConfigSchema);

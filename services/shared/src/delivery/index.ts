import { z } from 'zod';

/** Longest delivery name and address, in characters after trimming. */
export const DELIVERY_NAME_MAX = 100;
export const DELIVERY_ADDRESS_MAX = 500;
export const DELIVERY_PHONE_MAX = 40;

/**
 * A phone number as people write it: an optional leading `+`, then 7 to 15 digits (E.164 allows
 * at most 15) that may be grouped with spaces, dashes, dots or parentheses.
 */
export const phoneSchema = z
  .string()
  .trim()
  .max(DELIVERY_PHONE_MAX)
  .regex(
    /^\+?[\d\s().-]+$/,
    'must be a phone number: digits, optionally a leading + and spaces, dashes or parentheses',
  )
  .refine((phone) => {
    const digits = phone.replace(/\D/g, '').length;
    return digits >= 7 && digits <= 15;
  }, 'must have 7 to 15 digits');

/**
 * Where and to whom an order goes: the rule the order service enforces and the bot checks
 * before it asks again, so the buyer hears about a mistake in the chat first. Personal data:
 * never logged (the logger redacts `delivery`, `phone` and `address`).
 */
export const deliverySchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(DELIVERY_NAME_MAX),
  phone: phoneSchema,
  address: z.string().trim().min(1, 'must not be empty').max(DELIVERY_ADDRESS_MAX),
});

export type Delivery = z.infer<typeof deliverySchema>;

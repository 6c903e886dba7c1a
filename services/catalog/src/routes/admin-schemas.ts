import { z } from '@hono/zod-openapi';
import { SHOP_CURRENCY } from '../db/seed-data.ts';
import { hasNoNul } from '../domain/text.ts';
import { MAX_DESCRIPTION_LENGTH, MAX_ID, MAX_NAME_LENGTH } from './schemas.ts';

const text = () => z.string().refine(hasNoNul, 'must not contain NUL characters').trim();
const name = text().min(1, 'must not be empty').max(MAX_NAME_LENGTH);
const description = text().max(MAX_DESCRIPTION_LENGTH);

/** A text in both languages, or one string used for both. */
const localized = (text: z.ZodString) =>
  z.union([text.transform((value) => ({ en: value, ru: value })), z.strictObject({ en: text, ru: text })]);
const localizedPatch = (text: z.ZodString) =>
  z.union([
    text.transform((value) => ({ en: value, ru: value })),
    z.strictObject({ en: text.optional(), ru: text.optional() }),
  ]);

const priceCents = z
  .number()
  .int('must be an integer number of cents')
  .positive('must be greater than 0')
  .max(MAX_ID)
  .openapi({ example: 1299, description: 'Price in minor units (cents)' });
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
  .openapi({ example: 'USD' });
const stock = z.number().int().min(0).max(MAX_ID).openapi({
  example: 12,
  description: 'What can be bought: units held for unpaid orders come on top (on hand = this + reserved)',
});
const categoryId = z.number().int().positive().max(MAX_ID);

// Strict: an unknown field (id, createdAt, a typo) is a 400, never silently ignored.
export const createProductSchema = z
  .strictObject({
    name: localized(name),
    description: localized(description).default({ en: '', ru: '' }),
    priceCents,
    currency: currency.default(SHOP_CURRENCY),
    stock: stock.default(0),
    categoryId,
  })
  .openapi('NewProduct');

export const updateProductSchema = z
  .strictObject({
    name: localizedPatch(name).optional(),
    description: localizedPatch(description).optional(),
    priceCents: priceCents.optional(),
    currency: currency.optional(),
    stock: stock.optional(),
    categoryId: categoryId.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field')
  .openapi('ProductPatch');

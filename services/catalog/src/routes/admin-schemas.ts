import { z } from '@hono/zod-openapi';
import {
  CATALOG_INT_MAX,
  categoryNameSchema,
  productDescriptionSchema,
  productNameSchema,
  SHOP_CURRENCY,
} from '@shop/shared';
import { MAX_ID } from './schemas.ts';

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
  .max(CATALOG_INT_MAX)
  .openapi({ example: 1299, description: 'Price in minor units (cents)' });
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
  .openapi({ example: 'USD' });
const stock = z.number().int().min(0).max(CATALOG_INT_MAX).openapi({
  example: 12,
  description: 'What can be bought: units held for unpaid orders come on top (on hand = this + reserved)',
});
const addStock = z
  .number()
  .int()
  .min(-MAX_ID)
  .max(MAX_ID)
  .refine((n) => n !== 0, 'must not be 0')
  .openapi({
    example: 5,
    description: 'Units to add to what can be bought (negative: to take away); not with `stock`',
  });
const categoryId = z.number().int().positive().max(MAX_ID);
const hidden = z.boolean().openapi({
  description: 'Hidden from buyers: left out of every public read and never sold; the admin reads show it',
});

// Strict: an unknown field (id, createdAt, a typo) is a 400, never silently ignored.
export const createProductSchema = z
  .strictObject({
    name: localized(productNameSchema),
    description: localized(productDescriptionSchema).default({ en: '', ru: '' }),
    priceCents,
    currency: currency.default(SHOP_CURRENCY),
    stock: stock.default(0),
    categoryId,
    hidden: hidden.default(false),
  })
  .openapi('NewProduct');

export const updateProductSchema = z
  .strictObject({
    name: localizedPatch(productNameSchema).optional(),
    description: localizedPatch(productDescriptionSchema).optional(),
    priceCents: priceCents.optional(),
    currency: currency.optional(),
    stock: stock.optional(),
    addStock: addStock.optional(),
    categoryId: categoryId.optional(),
    hidden: hidden.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field')
  .refine((patch) => patch.stock === undefined || patch.addStock === undefined, {
    message: 'give stock or addStock, not both',
    path: ['addStock'],
  })
  .openapi('ProductPatch');

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters and digits joined by single dashes')
  .max(64)
  .openapi({ example: 'green-tea' });
const position = z.number().int().min(0).max(MAX_ID).openapi({
  example: 0,
  description:
    'Its place in the order of categories, 0 first; the others keep their order around it (a number past the end puts it last)',
});

export const createCategorySchema = z
  .strictObject({
    name: localized(categoryNameSchema),
    slug: slug.optional().openapi({ description: 'Made from the English name when not given' }),
    hidden: hidden.default(false),
  })
  .openapi('NewCategory');

export const updateCategorySchema = z
  .strictObject({
    name: localizedPatch(categoryNameSchema).optional(),
    position: position.optional(),
    hidden: hidden.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field')
  .openapi('CategoryPatch');

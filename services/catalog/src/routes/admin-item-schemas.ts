import { z } from '@hono/zod-openapi';
import { languages } from '../domain/product-views.ts';
import { MAX_ID, MAX_LIMIT, MAX_PAGE, productItemSchema } from './schemas.ts';

const localized = z.object({ en: z.string(), ru: z.string() });
const hidden = z.boolean().openapi({ description: 'Hidden from buyers' });

export const adminProductSchema = productItemSchema
  .extend({ hidden, names: localized, descriptions: localized })
  .openapi('AdminProduct');

export const adminProductListSchema = z
  .object({
    items: z.array(adminProductSchema),
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
  })
  .openapi('AdminProductList');

export const adminCategorySchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    name: z.string(),
    productCount: z.number().int().openapi({ description: 'Products not deleted, hidden ones included' }),
    hidden,
    position: z.number().int(),
    names: localized,
  })
  .openapi('AdminCategory');

export const adminCategoryListSchema = z
  .object({ items: z.array(adminCategorySchema) })
  .openapi('AdminCategoryList');

const page = z.coerce.number<string>().int().min(1).max(MAX_PAGE).default(1);
const limit = z.coerce.number<string>().int().min(1).max(MAX_LIMIT).default(10);

export const adminListQuerySchema = z.object({
  category: z.coerce
    .number<string>()
    .int()
    .min(1)
    .max(MAX_ID)
    .optional()
    .openapi({
      param: { name: 'category', in: 'query' },
      description: 'Category id; every product without it',
    }),
  page: page.openapi({ param: { name: 'page', in: 'query' } }),
  limit: limit.openapi({ param: { name: 'limit', in: 'query' } }),
  lang: z
    .enum(languages)
    .optional()
    .openapi({ param: { name: 'lang', in: 'query' } }),
});

export const categoryIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^\d{1,30}$/, 'must be a positive integer')
    .openapi({ param: { name: 'id', in: 'path' }, example: '1' }),
});

import { z } from '@hono/zod-openapi';
import { notFound, validationError } from '@shop/shared';
import { languages, MAX_ID } from '../domain/product-views.ts';
import { hasNoNul } from '../domain/text.ts';

export { MAX_ID };
export const MAX_LIMIT = 50;
/** Deep pages cost a scan of everything before them; nobody browses 100 000 pages in a chat. */
export const MAX_PAGE = 100_000;
export const MAX_QUERY_LENGTH = 200;
export const MAX_IDS = 50;

// The contract writes `?category=&q=&page=&limit=`: an empty parameter means "not given".
const param = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
const integerParam = (min: number, max: number) => z.coerce.number<string>().int().min(min).max(max);

const langParam = param(z.enum(languages)).openapi({
  param: { name: 'lang', in: 'query' },
  description: 'Language of names and descriptions; without it Accept-Language decides (default en)',
});

export const listQuerySchema = z
  .object({
    page: param(integerParam(1, MAX_PAGE)).openapi({ param: { name: 'page', in: 'query' }, example: 1 }),
    limit: param(integerParam(1, MAX_LIMIT)).openapi({
      param: { name: 'limit', in: 'query' },
      description: `Page size, 1..${MAX_LIMIT} (default 10); a larger value is a 400, not silently clamped`,
    }),
    category: param(integerParam(1, MAX_ID)).openapi({
      param: { name: 'category', in: 'query' },
      description: 'Category id',
    }),
    q: param(z.string().max(MAX_QUERY_LENGTH).refine(hasNoNul, 'must not contain NUL characters')).openapi({
      param: { name: 'q', in: 'query' },
      description: 'Case-insensitive text search over names and descriptions in both languages',
    }),
    ids: param(
      z
        .string()
        .regex(/^\d{1,10}(,\d{1,10})*$/, 'must be comma-separated product ids')
        .transform((list) => [...new Set(list.split(',').map(Number))].sort((a, b) => a - b))
        .refine((ids) => ids.length <= MAX_IDS, `must name at most ${MAX_IDS} products`),
    ).openapi({
      param: { name: 'ids', in: 'query' },
      description: `Up to ${MAX_IDS} product ids (the order service's price snapshot); not combinable with the other filters`,
    }),
    lang: langParam,
  })
  .superRefine((query, ctx) => {
    if (query.ids === undefined) return;
    for (const other of ['page', 'limit', 'category', 'q'] as const) {
      if (query[other] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [other], message: 'cannot be combined with ids' });
      }
    }
  });

export const langQuerySchema = z.object({ lang: langParam });

// Any run of digits is a well-formed id; one beyond int4 simply names nothing (404, no query).
const ID_PATTERN = /^\d{1,30}$/;

export const productIdParamsSchema = z.object({
  id: z
    .string()
    .regex(ID_PATTERN, 'must be a positive integer')
    .openapi({ param: { name: 'id', in: 'path' }, example: '1' }),
});

/** The id a path segment names when it is well formed and within int4, else undefined. */
export function plainProductId(raw: string): number | undefined {
  if (!ID_PATTERN.test(raw)) return undefined;
  const id = Number(raw);
  return id >= 1 && id <= MAX_ID ? id : undefined;
}

/** A product id from the path: 400 unless digits; 404 (without a query) when beyond int4. */
export function productId(raw: string): number {
  const id = plainProductId(raw);
  if (id !== undefined) return id;
  const parsed = productIdParamsSchema.safeParse({ id: raw });
  if (!parsed.success) throw validationError(parsed.error, 'param');
  throw notFound(`Product ${raw}`);
}

export const productItemSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string(),
    priceCents: z.number().int().openapi({ description: 'Price in minor units (cents)' }),
    currency: z.string().openapi({ example: 'USD' }),
    stock: z.number().int().openapi({
      description: 'What can still be bought: on hand minus what unpaid orders hold; never negative',
    }),
    categoryId: z.number().int(),
    imageUrl: z.string().nullable().openapi({
      example: '/products/1/image?v=3q2-7wq9R1mYpVd0nO1yXg',
      description:
        "The photo, relative to the catalog's base URL; `?v=` changes with the photo, so it may be cached for good. Null when there is none",
    }),
  })
  .openapi('Product');

export const productListSchema = z
  .object({
    items: z.array(productItemSchema),
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
  })
  .openapi('ProductList');

export const categoryListSchema = z
  .object({
    items: z.array(
      z
        .object({ id: z.number().int(), slug: z.string(), name: z.string(), productCount: z.number().int() })
        .openapi('Category'),
    ),
  })
  .openapi('CategoryList');

import type { z } from '@hono/zod-openapi';
import type { Lang, ProductQuery } from '../domain/product-views.ts';
import { fold } from '../domain/text.ts';
import { memoizedQuery } from './memoized-query.ts';
import { langQuerySchema, listQuerySchema } from '../routes/schemas.ts';

// The route patterns, also the `route` label of their metrics, from Hono and the fast path alike.
export const LIST_PATH = '/products';
export const ITEM_PATH = '/products/:id';
export const CATEGORIES_PATH = '/categories';

const DEFAULT_LIMIT = 10;

// One memo per schema for the whole process: the fast path reads only what Hono has validated.
export const listQuery = memoizedQuery(listQuerySchema);
export const langQuery = memoizedQuery(langQuerySchema);

export type ListQuery = Readonly<z.output<typeof listQuerySchema>>;

/** The page a list query asks for, defaults filled in and the search text case-folded. */
export function pageOf(query: ListQuery): ProductQuery {
  const q = query.q?.trim();
  return {
    categoryId: query.category,
    q: q ? fold(q) : undefined,
    page: query.page ?? 1,
    limit: query.limit ?? DEFAULT_LIMIT,
  };
}

/**
 * Cache keys hold only validated, normalised values (the language, numbers, the case-folded
 * query), so spelling a request differently can't fill the cache.
 */
export function listKey(query: ListQuery, lang: Lang): string {
  if (query.ids) return `ids:${lang}:${query.ids.join(',')}`;
  const { categoryId, q, page, limit } = pageOf(query);
  return `list:${lang}:${categoryId ?? ''}:${page}:${limit}:${q ?? ''}`;
}

export const itemKey = (id: number, lang: Lang) => `item:${lang}:${id}`;
export const categoriesKey = (lang: Lang) => `categories:${lang}`;

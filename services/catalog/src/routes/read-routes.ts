import { createRoute } from '@hono/zod-openapi';
import { errorResponses, jsonResponse, type ServiceApp } from '@shop/shared';
import { categoryList, productPage, productsWithIds, productWithId } from '../domain/catalog-views.ts';
import type { CatalogDeps } from '../domain/deps.ts';
import { fold } from '../domain/text.ts';
import { serveCached } from './cached-response.ts';
import { resolveLang } from './lang.ts';
import { memoizedQuery } from './memoized-query.ts';
import {
  categoryListSchema,
  langQuerySchema,
  listQuerySchema,
  productId,
  productIdParamsSchema,
  productItemSchema,
  productListSchema,
} from './schemas.ts';

const tags = ['catalog'];
const DEFAULT_LIMIT = 10;
const cachedRead = {
  304: { description: 'Not modified: the If-None-Match ETag is still current' },
} as const;
const cacheNote = 'Cached: `X-Cache: HIT|MISS`, `ETag` (send it back as `If-None-Match` for a 304).';

const listRoute = createRoute({
  method: 'get',
  path: '/products',
  tags,
  description: cacheNote,
  request: { query: listQuerySchema },
  responses: {
    200: jsonResponse(productListSchema, 'A page of products, by id'),
    ...cachedRead,
    ...errorResponses(400, 404),
  },
});
const itemRoute = createRoute({
  method: 'get',
  path: '/products/{id}',
  tags,
  description: cacheNote,
  request: { params: productIdParamsSchema, query: langQuerySchema },
  responses: {
    200: jsonResponse(productItemSchema, 'One product'),
    ...cachedRead,
    ...errorResponses(400, 404),
  },
});
const categoriesRoute = createRoute({
  method: 'get',
  path: '/categories',
  tags,
  description: cacheNote,
  request: { query: langQuerySchema },
  responses: {
    200: jsonResponse(categoryListSchema, 'Every category with its number of products'),
    ...cachedRead,
    ...errorResponses(400),
  },
});

const listQuery = memoizedQuery(listQuerySchema);
const langQuery = memoizedQuery(langQuerySchema);

/**
 * The public, cached reads. Cache keys hold only validated, normalised values (the language,
 * numbers, the case-folded query), so spelling a request differently can't fill the cache.
 * The routes are documented from their zod schemas but validated by `memoizedQuery`: these are
 * the hot path, and zod-openapi's validator would parse every request's query afresh.
 */
export function registerReadRoutes(app: ServiceApp, deps: CatalogDeps): void {
  const { cache, reads } = deps;
  for (const route of [listRoute, itemRoute, categoriesRoute]) app.openAPIRegistry.registerPath(route);

  app.get('/products', (c) => {
    const query = listQuery(c);
    const lang = resolveLang(query.lang, c.req.header('Accept-Language'));
    const { ids } = query;
    if (ids)
      return serveCached(c, cache, `ids:${lang}:${ids.join(',')}`, () => productsWithIds(reads, ids, lang));
    const page = query.page ?? 1;
    const limit = query.limit ?? DEFAULT_LIMIT;
    const q = query.q?.trim() ? fold(query.q.trim()) : undefined;
    const key = `list:${lang}:${query.category ?? ''}:${page}:${limit}:${q ?? ''}`;
    const load = () => productPage(reads, { categoryId: query.category, q, page, limit }, lang);
    return serveCached(c, cache, key, load);
  });

  app.get('/products/:id', (c) => {
    const id = productId(c.req.param('id'));
    const lang = resolveLang(langQuery(c).lang, c.req.header('Accept-Language'));
    return serveCached(c, cache, `item:${lang}:${id}`, () => productWithId(reads, id, lang));
  });

  app.get('/categories', (c) => {
    const lang = resolveLang(langQuery(c).lang, c.req.header('Accept-Language'));
    return serveCached(c, cache, `categories:${lang}`, () => categoryList(reads, lang));
  });
}

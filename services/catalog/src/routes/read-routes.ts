import { createRoute } from '@hono/zod-openapi';
import { errorResponses, jsonResponse, type ServiceApp } from '@shop/shared';
import { serveCached } from '../cache/cached-response.ts';
import {
  CATEGORIES_PATH,
  categoriesKey,
  ITEM_PATH,
  itemKey,
  langQuery,
  LIST_PATH,
  listKey,
  listQuery,
  pageOf,
} from '../cache/read-keys.ts';
import type { CatalogDeps } from '../deps.ts';
import {
  categoryList,
  filterOf,
  productList,
  productsWithIds,
  productWithId,
} from '../domain/product-views.ts';
import { resolveLang } from './lang.ts';
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

/**
 * The public, cached reads. The routes are documented from their zod schemas but validated by
 * `memoizedQuery`: these are the hot path, and zod-openapi's validator would parse every
 * request's query afresh. Hits of an in-process copy are mostly answered before Hono, by the
 * fast path (`fast-path/fast-reads.ts`), from the same keys and headers.
 */
export function registerReadRoutes(app: ServiceApp, deps: CatalogDeps): void {
  const { cache, reads } = deps;
  for (const route of [listRoute, itemRoute, categoriesRoute]) app.openAPIRegistry.registerPath(route);

  app.get(LIST_PATH, (c) => {
    const query = listQuery(c);
    const lang = resolveLang(query.lang, c.req.header('Accept-Language'));
    const { ids } = query;
    const load = ids
      ? async () => productsWithIds(await reads.productsByIds(ids), ids, lang)
      : async () => {
          const page = pageOf(query);
          return productList(await reads.listProducts(filterOf(page)), page, lang);
        };
    return serveCached(c, cache, listKey(query, lang), load);
  });

  app.get(ITEM_PATH, (c) => {
    const id = productId(c.req.param('id'));
    const lang = resolveLang(langQuery(c).lang, c.req.header('Accept-Language'));
    return serveCached(c, cache, itemKey(id, lang), async () =>
      productWithId(await reads.product(id), id, lang),
    );
  });

  app.get(CATEGORIES_PATH, (c) => {
    const lang = resolveLang(langQuery(c).lang, c.req.header('Accept-Language'));
    return serveCached(c, cache, categoriesKey(lang), async () =>
      categoryList(await reads.categories(), lang),
    );
  });
}

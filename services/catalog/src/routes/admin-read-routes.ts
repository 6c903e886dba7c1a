import { createRoute } from '@hono/zod-openapi';
import {
  errorResponses,
  jsonResponse,
  notFound,
  requireRole,
  type Authenticator,
  type ServiceApp,
} from '@shop/shared';
import { adminProductWithId, toAdminCategory, toAdminProduct } from '../domain/admin-views.ts';
import type { AdminReads } from '../store/admin-reads.ts';
import { categoryId } from './admin-category-routes.ts';
import {
  adminCategoryListSchema,
  adminCategorySchema,
  adminListQuerySchema,
  adminProductListSchema,
  adminProductSchema,
  categoryIdParamsSchema,
} from './admin-item-schemas.ts';
import { resolveLang } from './lang.ts';
import { langQuerySchema, productId, productIdParamsSchema } from './schemas.ts';

const tags = ['catalog admin'];
const security = [{ bearer: [] }];
const note = 'Hidden products and categories included; never cached.';

const productsRoute = createRoute({
  method: 'get',
  path: '/admin/products',
  tags,
  security,
  description: `A category's products, by id, with both languages and \`hidden\`. ${note}`,
  request: { query: adminListQuerySchema },
  responses: { 200: jsonResponse(adminProductListSchema, 'A page'), ...errorResponses(400, 401, 403, 404) },
});
const productRoute = createRoute({
  method: 'get',
  path: '/admin/products/{id}',
  tags,
  security,
  description: `One product with both languages and \`hidden\`. ${note}`,
  request: { params: productIdParamsSchema, query: langQuerySchema },
  responses: { 200: jsonResponse(adminProductSchema, 'One product'), ...errorResponses(400, 401, 403, 404) },
});
const categoriesRoute = createRoute({
  method: 'get',
  path: '/admin/categories',
  tags,
  security,
  description: `Every category in its order, with both names, \`position\` and \`hidden\`. ${note}`,
  request: { query: langQuerySchema },
  responses: {
    200: jsonResponse(adminCategoryListSchema, 'Every category'),
    ...errorResponses(400, 401, 403),
  },
});
const categoryRoute = createRoute({
  method: 'get',
  path: '/admin/categories/{id}',
  tags,
  security,
  description: `One category. ${note}`,
  request: { params: categoryIdParamsSchema, query: langQuerySchema },
  responses: {
    200: jsonResponse(adminCategorySchema, 'One category'),
    ...errorResponses(400, 401, 403, 404),
  },
});

/** What the merchant's desk reads: everything not deleted, as it is now. */
export function registerAdminReadRoutes(
  app: ServiceApp,
  reads: AdminReads,
  authenticate: Authenticator,
): void {
  const middleware = [authenticate, requireRole('admin')];

  app.openapi({ ...productsRoute, middleware }, async (c) => {
    const { category, page, limit, lang } = c.req.valid('query');
    const result = await reads.products(category, (page - 1) * limit, limit);
    if (!result.categoryFound) throw notFound(`Category ${category}`);
    const language = resolveLang(lang, c.req.header('Accept-Language'));
    const items = result.rows.map((row) => toAdminProduct(row, language));
    return c.json({ items, page, limit, total: result.total }, 200);
  });

  app.openapi({ ...productRoute, middleware }, async (c) => {
    const id = productId(c.req.valid('param').id);
    const lang = resolveLang(c.req.valid('query').lang, c.req.header('Accept-Language'));
    return c.json(adminProductWithId(await reads.product(id), id, lang), 200);
  });

  app.openapi({ ...categoriesRoute, middleware }, async (c) => {
    const lang = resolveLang(c.req.valid('query').lang, c.req.header('Accept-Language'));
    return c.json({ items: (await reads.categories()).map((row) => toAdminCategory(row, lang)) }, 200);
  });

  app.openapi({ ...categoryRoute, middleware }, async (c) => {
    const id = categoryId(c.req.valid('param').id);
    const row = await reads.category(id);
    if (!row) throw notFound(`Category ${id}`);
    const lang = resolveLang(c.req.valid('query').lang, c.req.header('Accept-Language'));
    return c.json(toAdminCategory(row, lang), 200);
  });
}

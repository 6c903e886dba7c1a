import { createRoute } from '@hono/zod-openapi';
import {
  errorResponses,
  jsonBody,
  jsonResponse,
  requireRole,
  type Authenticator,
  type ServiceApp,
} from '@shop/shared';
import type { CatalogDeps } from '../deps.ts';
import { toItem } from '../domain/product-views.ts';
import { createProduct, deleteProduct, updateProduct } from '../store/product-admin.ts';
import { createProductSchema, updateProductSchema } from './admin-schemas.ts';
import { resolveLang } from './lang.ts';
import { langQuerySchema, productId, productIdParamsSchema, productItemSchema } from './schemas.ts';

const tags = ['catalog admin'];
const security = [{ bearer: [] }];

const createRouteDef = createRoute({
  method: 'post',
  path: '/products',
  tags,
  security,
  request: { query: langQuerySchema, body: jsonBody(createProductSchema) },
  responses: { 201: jsonResponse(productItemSchema, 'Created'), ...errorResponses(400, 401, 403, 413) },
});
const updateRouteDef = createRoute({
  method: 'patch',
  path: '/products/{id}',
  tags,
  security,
  request: { params: productIdParamsSchema, query: langQuerySchema, body: jsonBody(updateProductSchema) },
  responses: { 200: jsonResponse(productItemSchema, 'Updated'), ...errorResponses(400, 401, 403, 404, 413) },
});
const deleteRouteDef = createRoute({
  method: 'delete',
  path: '/products/{id}',
  tags,
  security,
  request: { params: productIdParamsSchema },
  responses: {
    204: { description: 'Deleted (soft): gone from every list, GET answers 404' },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** Admin writes: `role: admin` in a valid access token. Each one invalidates every replica's cache. */
export function registerAdminRoutes(app: ServiceApp, deps: CatalogDeps, authenticate: Authenticator): void {
  const middleware = [authenticate, requireRole('admin')];
  const admin = { em: deps.em, invalidate: deps.invalidate };

  app.openapi({ ...createRouteDef, middleware }, async (c) => {
    const row = await createProduct(admin, c.req.valid('json'));
    const lang = resolveLang(c.req.valid('query').lang, c.req.header('Accept-Language'));
    return c.json(toItem(row, lang), 201, { Location: `/products/${row.id}` });
  });

  app.openapi({ ...updateRouteDef, middleware }, async (c) => {
    const row = await updateProduct(admin, productId(c.req.valid('param').id), c.req.valid('json'));
    const lang = resolveLang(c.req.valid('query').lang, c.req.header('Accept-Language'));
    return c.json(toItem(row, lang), 200);
  });

  app.openapi({ ...deleteRouteDef, middleware }, async (c) => {
    await deleteProduct(admin, productId(c.req.valid('param').id));
    return c.body(null, 204);
  });
}

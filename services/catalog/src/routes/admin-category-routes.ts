import { createRoute } from '@hono/zod-openapi';
import {
  errorResponses,
  jsonBody,
  jsonResponse,
  notFound,
  requireRole,
  type Authenticator,
  type ServiceApp,
} from '@shop/shared';
import type { CatalogDeps } from '../deps.ts';
import { toAdminCategory } from '../domain/admin-views.ts';
import type { AdminReads } from '../store/admin-reads.ts';
import { createCategory, updateCategory } from '../store/category-admin.ts';
import { adminCategorySchema, categoryIdParamsSchema } from './admin-item-schemas.ts';
import { createCategorySchema, updateCategorySchema } from './admin-schemas.ts';
import { resolveLang } from './lang.ts';
import { langQuerySchema, plainProductId } from './schemas.ts';

const tags = ['catalog admin'];
const security = [{ bearer: [] }];

const createRouteDef = createRoute({
  method: 'post',
  path: '/categories',
  tags,
  security,
  description: 'A new category, last in the order. Answers the admin view of it.',
  request: { query: langQuerySchema, body: jsonBody(createCategorySchema) },
  responses: {
    201: jsonResponse(adminCategorySchema, 'Created'),
    ...errorResponses(400, 401, 403, 409, 413),
  },
});
const updateRouteDef = createRoute({
  method: 'patch',
  path: '/categories/{id}',
  tags,
  security,
  description:
    'Renames (either language), moves (`position`) or hides and shows a category. A hidden category and its products are left out of every public read.',
  request: { params: categoryIdParamsSchema, query: langQuerySchema, body: jsonBody(updateCategorySchema) },
  responses: {
    200: jsonResponse(adminCategorySchema, 'Updated'),
    ...errorResponses(400, 401, 403, 404, 413),
  },
});

/** A category id from the path (digits, as the route's schema checked): 404 beyond int4. */
export function categoryId(raw: string): number {
  const id = plainProductId(raw);
  if (id === undefined) throw notFound(`Category ${raw}`);
  return id;
}

/** `POST /categories` and `PATCH /categories/:id`; each invalidates every replica's cache. */
export function registerCategoryRoutes(
  app: ServiceApp,
  deps: CatalogDeps,
  adminReads: AdminReads,
  authenticate: Authenticator,
): void {
  const middleware = [authenticate, requireRole('admin')];
  const admin = { em: deps.em, invalidate: deps.invalidate };
  const answer = async (id: number, lang: ReturnType<typeof resolveLang>) => {
    const row = await adminReads.category(id);
    if (!row) throw notFound(`Category ${id}`);
    return toAdminCategory(row, lang);
  };

  app.openapi({ ...createRouteDef, middleware }, async (c) => {
    const id = await createCategory(admin, c.req.valid('json'));
    const lang = resolveLang(c.req.valid('query').lang, c.req.header('Accept-Language'));
    return c.json(await answer(id, lang), 201, { Location: `/admin/categories/${id}` });
  });

  app.openapi({ ...updateRouteDef, middleware }, async (c) => {
    const id = categoryId(c.req.valid('param').id);
    await updateCategory(admin, id, c.req.valid('json'));
    const lang = resolveLang(c.req.valid('query').lang, c.req.header('Accept-Language'));
    return c.json(await answer(id, lang), 200);
  });
}

import { createRoute, z } from '@hono/zod-openapi';
import {
  errorResponses,
  notFound,
  readLimitedBody,
  requireRole,
  type Authenticator,
  type ServiceApp,
} from '@shop/shared';
import { etagMatches } from '../cache/cached-body.ts';
import type { CatalogDeps } from '../deps.ts';
import { MAX_IMAGE_BYTES } from '../domain/images.ts';
import { prepareImage } from '../images/prepare-image.ts';
import { readProductImage, saveProductImage } from '../store/product-images.ts';
import { productId, productIdParamsSchema } from './schemas.ts';

export const IMAGE_PATH = '/products/:id/image';
/** For the app's body limit: only this route takes more than BODY_LIMIT_BYTES. */
export const imageUpload = { method: 'PUT', path: /^\/products\/[^/]+\/image$/, maxBytes: MAX_IMAGE_BYTES };

// The URL carries the version (`?v=`), so a copy fetched by it never goes stale; without it, or
// with an old one, the answer is the current photo for a short while only.
const FOREVER = 'public, max-age=31536000, immutable';
const BRIEFLY = 'public, max-age=60';
const VERSION = /^[\w-]{1,64}$/;

const binary = z.string().openapi({ type: 'string', format: 'binary' });
const imageContent = {
  'image/jpeg': { schema: binary },
  'image/png': { schema: binary },
  'image/webp': { schema: binary },
};

const putRoute = createRoute({
  method: 'put',
  path: '/products/{id}/image',
  tags: ['catalog admin'],
  security: [{ bearer: [] }],
  description:
    "Sets the product's photo: the request body is the image file itself (JPEG, PNG or WebP, at most 5 MB), recognised by its content, whatever the Content-Type. Stored as a JPEG fitting inside 800×800.",
  request: { params: productIdParamsSchema, body: { required: true, content: imageContent } },
  responses: {
    204: { description: "Stored: the product's `imageUrl` names the new photo" },
    ...errorResponses(400, 401, 403, 404, 413, 415),
  },
});
const getRoute = createRoute({
  method: 'get',
  path: '/products/{id}/image',
  tags: ['catalog'],
  description:
    "The product's photo (public). `ETag` is its version; `If-None-Match` gets a 304. Fetched by its `imageUrl` (with `?v=`) it may be cached for good.",
  request: {
    params: productIdParamsSchema,
    query: z.object({
      v: z
        .string()
        .optional()
        .openapi({ param: { name: 'v', in: 'query' } }),
    }),
  },
  responses: {
    200: { description: 'The photo', content: { 'image/jpeg': { schema: binary } } },
    304: { description: 'Not modified: the If-None-Match ETag is still current' },
    ...errorResponses(400, 404),
  },
});

/** Tags a client sent in If-None-Match that could be a photo's version. */
const versionsIn = (ifNoneMatch: string | undefined): string[] =>
  (ifNoneMatch ?? '')
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, '').replaceAll('"', ''))
    .filter((tag) => VERSION.test(tag));

/** `PUT /products/:id/image` (admin) and `GET /products/:id/image` (public). */
export function registerImageRoutes(app: ServiceApp, deps: CatalogDeps, authenticate: Authenticator): void {
  app.openAPIRegistry.registerPath(putRoute);
  app.openAPIRegistry.registerPath(getRoute);
  const admin = { em: deps.em, invalidate: deps.invalidate };

  app.put(IMAGE_PATH, authenticate, requireRole('admin'), async (c) => {
    const id = productId(c.req.param('id'));
    const image = await prepareImage(await readLimitedBody(c.req.raw, MAX_IMAGE_BYTES));
    await saveProductImage(admin, id, image);
    return c.body(null, 204);
  });

  app.get(IMAGE_PATH, async (c) => {
    const id = productId(c.req.param('id'));
    const ifNoneMatch = c.req.header('If-None-Match');
    const image = await readProductImage(deps.em, id, versionsIn(ifNoneMatch));
    if (!image) throw notFound(`A photo of product ${id}`);
    const etag = `"${image.version}"`;
    const headers = {
      ETag: etag,
      'Cache-Control': c.req.query('v') === image.version ? FOREVER : BRIEFLY,
      // A storefront on another origin shows it in an <img>.
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (image.bytes === null || etagMatches(ifNoneMatch, etag)) return c.body(null, 304, headers);
    return c.body(new Uint8Array(image.bytes), 200, { ...headers, 'Content-Type': image.contentType });
  });
}

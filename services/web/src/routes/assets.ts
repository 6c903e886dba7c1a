import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServiceApp } from '@shop/shared';
import type { CatalogReader } from '../clients/catalog.ts';
import { productIdOf } from './params.ts';

/** The storefront's one stylesheet, and the versioned path pages link it by. */
export interface Stylesheet {
  href: string;
  version: string;
  body: string;
}

/** Reads public/style.css (beside src/ and dist/ alike) once, at start. */
export function loadStylesheet(): Stylesheet {
  const body = readFileSync(new URL('../../public/style.css', import.meta.url), 'utf8');
  const version = createHash('sha256').update(body).digest('base64url').slice(0, 16);
  return { href: `/assets/style.css?v=${version}`, version, body };
}

const VERSION = /^[\w-]{1,64}$/;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
const PASSED_ON = ['Content-Type', 'Content-Length', 'ETag', 'Cache-Control', 'Last-Modified'];

/**
 * `/assets/style.css` and `/products/:id/image`: the page's every asset from this origin. A
 * photo is the catalog's, passed on with its caching headers (its `?v=` changes with the photo).
 */
export function registerAssets(app: ServiceApp, deps: { catalog: CatalogReader; stylesheet: Stylesheet }) {
  const { stylesheet } = deps;
  app.get('/assets/style.css', (c) =>
    c.body(stylesheet.body, 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control':
        c.req.query('v') === stylesheet.version ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: `"${stylesheet.version}"`,
    }),
  );

  app.get('/products/:id/image', async (c) => {
    const id = productIdOf(c.req.param('id'));
    const version = c.req.query('v');
    if (id === undefined || (version !== undefined && !VERSION.test(version))) return c.notFound();
    const photo = await deps.catalog.image(id, version, c.req.header('If-None-Match'));
    const type = photo.headers.get('Content-Type') ?? '';
    if (photo.status === 304 || (photo.status === 200 && PHOTO_TYPES.has(type))) {
      const headers: Record<string, string> = {};
      for (const name of PASSED_ON) {
        const value = photo.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      if (photo.status === 304) return c.body(null, 304, headers);
      return c.body(photo.body ?? '', 200, headers);
    }
    await photo.body?.cancel();
    return c.notFound();
  });
}

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServiceApp } from '@shop/shared';
import type { CatalogReader } from '../clients/catalog.ts';
import { CompressedBody } from '../compression.ts';
import { idOf } from './params.ts';

/** A file of public/ the pages use, and the versioned path they link it by. */
export interface Asset {
  href: string;
  version: string;
  body: string;
  /** The body compressed once, as small as it gets, for the browsers that accept it. */
  compressed: CompressedBody;
}
export type Stylesheet = Asset;

/** Reads public/`file` (beside src/ and dist/ alike) once, at start. */
function loadAsset(file: string): Asset {
  const body = readFileSync(new URL(`../../public/${file}`, import.meta.url), 'utf8');
  const version = createHash('sha256').update(body).digest('base64url').slice(0, 16);
  return {
    href: `/assets/${file}?v=${version}`,
    version,
    body,
    compressed: new CompressedBody(body, 'static'),
  };
}

export const loadStylesheet = (): Stylesheet => loadAsset('style.css');
/** The order page's live status; linked without a version, so it is revalidated (ETag). */
const orderStatusScript = loadAsset('order-status.js');
/** The Mini App bridge every page loads (versioned: cached for good). */
const miniAppScript = loadAsset('mini-app.js');
export const MINI_APP_SCRIPT = miniAppScript.href;
/** The shop's icon (browsers ask for one; without it every page logs a 404). */
const icon = loadAsset('icon.svg');
export const ICON_PATH = '/assets/icon.svg';

const VERSION = /^[\w-]{1,64}$/;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
const PASSED_ON = ['Content-Type', 'Content-Length', 'ETag', 'Cache-Control', 'Last-Modified'];

/**
 * `/assets/style.css`, `/assets/order-status.js`, `/assets/mini-app.js`, `/assets/icon.svg` and
 * `/products/:id/image`: the page's every asset from this origin. A file is sent compressed
 * (brotli or gzip) as the browser accepts it; a versioned link (`?v=`) is cached for good, any
 * other revalidated by its ETag. A photo is the catalog's, passed on with its caching headers
 * (its `?v=` changes with the photo).
 */
export function registerAssets(app: ServiceApp, deps: { catalog: CatalogReader; stylesheet: Stylesheet }) {
  const serve = (path: string, asset: Asset, type: string) =>
    app.get(path, (c) => {
      const encoding = asset.compressed.encodingFor(c);
      // Each coding is a representation of its own, with a validator of its own.
      const etag = `"${asset.version}${encoding === 'identity' ? '' : `.${encoding}`}"`;
      const cacheControl =
        c.req.query('v') === asset.version ? 'public, max-age=31536000, immutable' : 'no-cache';
      const headers = { 'Cache-Control': cacheControl, ETag: etag };
      if (c.req.header('If-None-Match') === etag)
        return c.body(null, 304, { ...headers, Vary: 'Accept-Encoding' });
      return asset.compressed.answer(c, 200, { ...headers, 'Content-Type': type }, encoding);
    });
  serve('/assets/style.css', deps.stylesheet, 'text/css; charset=utf-8');
  serve('/assets/order-status.js', orderStatusScript, 'text/javascript; charset=utf-8');
  serve('/assets/mini-app.js', miniAppScript, 'text/javascript; charset=utf-8');
  serve(ICON_PATH, icon, 'image/svg+xml');

  app.get('/products/:id/image', async (c) => {
    const id = idOf(c.req.param('id'));
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

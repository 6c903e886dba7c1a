import type { ServiceApp } from '@shop/shared';
import type { Context } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { CatalogReader } from '../clients/catalog.ts';
import { pageLanguage } from '../language.ts';
import { CatalogPage } from '../pages/catalog-page.tsx';
import type { PageFrame } from '../pages/layout.tsx';
import { MessagePage, type Message } from '../pages/message-page.tsx';
import { ProductPage } from '../pages/product-page.tsx';
import type { PageCache } from './page-cache.ts';
import { catalogQueryOf, idOf } from './params.ts';

/** Products on one page of the catalog: three rows of four, two of six. */
export const PAGE_SIZE = 12;

export interface PageDeps {
  catalog: CatalogReader;
  /** The stylesheet's versioned path. */
  stylesheet: string;
  /** Where the catalog's and the products' pages are kept once rendered. */
  pages: PageCache;
}

/** Every page varies by its language, which the cookie or Accept-Language chooses. */
const VARY = { Vary: 'Accept-Language, Cookie' };

export const frameOf = (c: Context, stylesheet: string): PageFrame => ({
  lang: pageLanguage(c),
  url: new URL(c.req.url),
  stylesheet,
});

/** Answers with `page` as a whole HTML document; its language follows the cookie and Accept-Language. */
export async function render(c: Context, page: JSX.Element, status: ContentfulStatusCode = 200) {
  c.header('Vary', VARY.Vary);
  return c.html(`<!doctype html>${(await page).toString()}`, status);
}

/** A page that only says what went wrong: 404, 503 (a service is down) or 500. */
export const renderMessage = (
  c: Context,
  stylesheet: string,
  message: Message,
  status: ContentfulStatusCode,
) => render(c, <MessagePage frame={frameOf(c, stylesheet)} message={message} />, status);

/**
 * `/` (the catalog: `?category=`, `?q=`, `?page=`) and `/products/:id`, in English or Russian,
 * rendered once per language and address for a while (`PageCache`): they show the catalog only.
 */
export function registerPages(app: ServiceApp, deps: PageDeps): void {
  const keyOf = (frame: PageFrame) => `${frame.lang} ${frame.url.pathname}${frame.url.search}`;

  app.get('/', async (c) => {
    const frame = frameOf(c, deps.stylesheet);
    const query = catalogQueryOf((name) => c.req.query(name));
    const answer = await deps.pages.answer(
      c,
      keyOf(frame),
      async () => {
        const [categories, products] = await Promise.all([
          deps.catalog.categories(frame.lang),
          deps.catalog.products({ ...query, limit: PAGE_SIZE }, frame.lang),
        ]);
        return <CatalogPage frame={frame} categories={categories} products={products} query={query} />;
      },
      VARY,
    );
    return answer ?? c.notFound();
  });

  app.get('/products/:id', async (c) => {
    const frame = frameOf(c, deps.stylesheet);
    const id = idOf(c.req.param('id'));
    const answer = await deps.pages.answer(
      c,
      keyOf(frame),
      async () => {
        const product = id === undefined ? undefined : await deps.catalog.product(id, frame.lang);
        return product && <ProductPage frame={frame} product={product} />;
      },
      VARY,
    );
    return answer ?? render(c, <MessagePage frame={frame} message="notFound" />, 404);
  });
}

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
import type { Sessions } from '../session/sessions.ts';
import type { PageCache } from './page-cache.ts';
import { catalogQueryOf, idOf } from './params.ts';

/** Products on one page of the catalog: three rows of four, two of six. */
export const PAGE_SIZE = 12;

/** What every page's frame is made of. */
export interface FrameDeps {
  /** The stylesheet's versioned path. */
  stylesheet: string;
  sessions: Sessions;
}

export interface PageDeps extends FrameDeps {
  catalog: CatalogReader;
  /** Where the catalog's and the products' pages are kept once rendered (a visitor's only). */
  pages: PageCache;
}

/** Every page varies by its language, which the cookie or Accept-Language chooses. */
const VARY = { Vary: 'Accept-Language, Cookie' };

/**
 * The page's language, address and stylesheet, and the Mini App session it is shown in, if any
 * (the bridge compares its Telegram user with the launch's, and sends its CSRF token). A session
 * that cannot be read (Redis down) leaves the page a visitor's.
 */
export async function frameOf(c: Context, deps: FrameDeps): Promise<PageFrame> {
  const session = await deps.sessions.current(c).catch(() => undefined);
  return {
    lang: pageLanguage(c),
    url: new URL(c.req.url),
    stylesheet: deps.stylesheet,
    ...(session?.kind === 'mini_app' && session.telegramId && session.csrfToken
      ? {
          miniApp: {
            telegramId: session.telegramId,
            csrfToken: session.csrfToken,
            ...(session.launch ? { launch: session.launch } : {}),
          },
        }
      : {}),
  };
}

/** Answers with `page` as a whole HTML document; its language follows the cookie and Accept-Language. */
export async function render(c: Context, page: JSX.Element, status: ContentfulStatusCode = 200) {
  c.header('Vary', VARY.Vary);
  return c.html(`<!doctype html>${(await page).toString()}`, status);
}

/** A page that only says what went wrong: 404, 503 (a service is down) or 500. */
export const renderMessage = async (
  c: Context,
  deps: FrameDeps,
  message: Message,
  status: ContentfulStatusCode,
) => render(c, <MessagePage frame={await frameOf(c, deps)} message={message} />, status);

/**
 * `/` (the catalog: `?category=`, `?q=`, `?page=`) and `/products/:id`, in English or Russian,
 * rendered once per language and address for a while (`PageCache`): they show the catalog only.
 * A page inside a Mini App session carries that session's CSRF token and Telegram user, so it is
 * rendered for that request alone and never kept.
 */
export function registerPages(app: ServiceApp, deps: PageDeps): void {
  const keyOf = (frame: PageFrame) => `${frame.lang} ${frame.url.pathname}${frame.url.search}`;
  const answer = async (c: Context, frame: PageFrame, page: () => Promise<JSX.Element | undefined>) => {
    if (frame.miniApp === undefined) return deps.pages.answer(c, keyOf(frame), page, VARY);
    const rendered = await page();
    return rendered && render(c, rendered);
  };

  app.get('/', async (c) => {
    const frame = await frameOf(c, deps);
    const query = catalogQueryOf((name) => c.req.query(name));
    const page = await answer(c, frame, async () => {
      const [categories, products] = await Promise.all([
        deps.catalog.categories(frame.lang),
        deps.catalog.products({ ...query, limit: PAGE_SIZE }, frame.lang),
      ]);
      return <CatalogPage frame={frame} categories={categories} products={products} query={query} />;
    });
    return page ?? c.notFound();
  });

  app.get('/products/:id', async (c) => {
    const frame = await frameOf(c, deps);
    const id = idOf(c.req.param('id'));
    const page = await answer(c, frame, async () => {
      const product = id === undefined ? undefined : await deps.catalog.product(id, frame.lang);
      return product && <ProductPage frame={frame} product={product} />;
    });
    return page ?? render(c, <MessagePage frame={frame} message="notFound" />, 404);
  });
}

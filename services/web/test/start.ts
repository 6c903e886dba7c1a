import { loadConfig } from '@shop/shared';
import { freePort, requestJson, testLogger } from '@shop/testkit';
import { jpegOf } from '../../catalog/test/image-files.ts';
import { startCatalogForTest } from '../../catalog/test/start.ts';
import { webConfigSchema } from '../src/config.ts';
import { buildWeb } from '../src/wiring.ts';

/** A product as a merchant writes it through the catalog's API. */
export interface NewProduct {
  name: string | { en: string; ru: string };
  description?: string | { en: string; ru: string };
  priceCents?: number;
  stock?: number;
  hidden?: boolean;
}

/**
 * The storefront in-process over a real catalog (PostgreSQL, Redis, RabbitMQ) served on a port,
 * with a category of this run's own that `addProduct` fills through the catalog's admin API.
 * Order and auth are addresses nothing listens on, unless `env` names others.
 */
export async function startWebForTest(suite: string, env: Record<string, string> = {}) {
  const catalog = await startCatalogForTest({ suite });
  const served = await catalog.serve();
  const nobody = `http://127.0.0.1:${await freePort()}`;
  const config = loadConfig(webConfigSchema, {
    ...process.env,
    CATALOG_URL: served.url,
    ORDER_URL: nobody,
    AUTH_URL: nobody,
    ...env,
  });
  const web = await buildWeb(config, testLogger());
  const { headers: asAdmin } = await catalog.user('admin');

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await requestJson(catalog.app, method, path, body, asAdmin);
    if (!res.ok) throw new Error(`catalog ${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res;
  };
  const tag = crypto.randomUUID().slice(0, 8);
  const category = (await (
    await admin('POST', '/categories', { name: { en: `Teaware ${tag}`, ru: `Посуда ${tag}` } })
  ).json()) as { id: number };

  return {
    app: web.app,
    catalog,
    /** The catalog's address, for another storefront over the same catalog. */
    catalogUrl: served.url,
    category: category.id,
    /** Creates a product in this run's category; its id. */
    async addProduct(product: NewProduct): Promise<number> {
      const body = { priceCents: 1299, stock: 5, categoryId: category.id, ...product };
      return ((await (await admin('POST', '/products', body)).json()) as { id: number }).id;
    },
    /** Gives product `id` a photo (a small JPEG). */
    async addPhoto(id: number): Promise<void> {
      const res = await catalog.app.request(`/products/${id}/image`, {
        method: 'PUT',
        headers: { ...asAdmin, 'Content-Type': 'image/jpeg' },
        body: new Uint8Array(await jpegOf(40, 30)),
      });
      if (res.status !== 204) throw new Error(`photo upload answered ${res.status}: ${await res.text()}`);
    },
    /** GET `path` of the storefront; the answer and its body as text. */
    async page(path: string, headers: Record<string, string> = {}) {
      const res = await web.app.request(path, { headers });
      return { res, html: await res.text() };
    },
    close: () => catalog.close(),
  };
}

export type TestWeb = Awaited<ReturnType<typeof startWebForTest>>;

/** Every address a page points the browser at: `src`, `href` and `action` attributes. */
export const addressesIn = (html: string): string[] =>
  [...html.matchAll(/\s(?:src|href|action)="([^"]*)"/g)].map((match) => match[1] ?? '');

import { loadConfig } from '@shop/shared';
import { freePort, requestJson, serveForTest, testLogger, testServiceNames } from '@shop/testkit';
import { startShopInProcess } from '../../../test/support/in-process-shop.ts';
import { jpegOf } from '../../catalog/test/image-files.ts';
import { startCatalogForTest } from '../../catalog/test/start.ts';
import { webConfigSchema } from '../src/config.ts';
import { buildWeb } from '../src/wiring.ts';

/** A product as a merchant writes it through the catalog's API. */
export interface NewProduct {
  name: string | { en: string; ru: string };
  description?: string | { en: string; ru: string };
  priceCents?: number;
  /** ISO 4217; the shop's (USD) unless given. */
  currency?: string;
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
    PAYMENT_URL: nobody,
    ...env,
  });
  const web = await buildWeb(config, testLogger(), { keyPrefix: testServiceNames('web', suite).keyPrefix });
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
    async close() {
      for (const closer of web.closers) await closer.close();
      await catalog.close();
    },
  };
}

export type TestWeb = Awaited<ReturnType<typeof startWebForTest>>;

/** Every address a page points the browser at: `src`, `href` and `action` attributes. */
export const addressesIn = (html: string): string[] =>
  [...html.matchAll(/\s(?:src|href|action)="([^"]*)"/g)].map((match) => match[1] ?? '');

/**
 * The storefront served over HTTP in front of the whole shop in-process (auth, catalog, order,
 * payment with the simulated provider, which charges a reserved order at once), for a buyer's
 * story end to end. `addProduct` creates a product through the catalog's admin API.
 */
export async function startShopWebForTest(
  suite: string,
  {
    env = {},
    authEnv = {},
    paymentEnv = {},
    botToken = `${Math.floor(Math.random() * 1e9)}:web-test-${crypto.randomUUID()}`,
  }: {
    /** For the storefront. */
    env?: Record<string, string>;
    authEnv?: Record<string, string>;
    paymentEnv?: Record<string, string>;
    /** The bot's token, which auth checks initData with (a sandbox's, to make invoice links there). */
    botToken?: string;
  } = {},
) {
  const shop = await startShopInProcess({
    suite,
    partEnv: { auth: { TELEGRAM_BOT_TOKEN: botToken, ...authEnv }, payment: paymentEnv },
  });
  try {
    const settings = {
      ...process.env,
      CATALOG_URL: shop.urls.catalog,
      ORDER_URL: shop.urls.order,
      AUTH_URL: shop.urls.auth,
      PAYMENT_URL: shop.urls.payment,
      ...env,
    };
    const web = await buildWeb(loadConfig(webConfigSchema, settings), testLogger(), {
      keyPrefix: testServiceNames('web', suite).keyPrefix,
    });
    const served = await serveForTest({ fetch: web.app.fetch, closers: web.closers });
    /** Another storefront over the same shop, `env` over this one's (NODE_ENV=production), served. */
    const another = async (more: Record<string, string>) => {
      const other = await buildWeb(loadConfig(webConfigSchema, { ...settings, ...more }), testLogger(), {
        keyPrefix: testServiceNames('web', suite).keyPrefix,
      });
      const server = await serveForTest({ fetch: other.app.fetch, closers: other.closers });
      others.push(server);
      return { url: server.url, browser: () => new TestBrowser(server.url) };
    };
    const others: Awaited<ReturnType<typeof serveForTest>>[] = [];
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await requestJson(shop.apps.catalog, method, path, body, {
        Authorization: `Bearer ${await shop.adminToken()}`,
      });
      if (!res.ok) throw new Error(`catalog ${method} ${path} answered ${res.status}: ${await res.text()}`);
      return res.json() as Promise<{ id: number }>;
    };
    const tag = crypto.randomUUID().slice(0, 8);
    const category = await admin('POST', '/categories', {
      name: { en: `Teaware ${tag}`, ru: `Посуда ${tag}` },
    });
    return {
      shop,
      /** The bot's token auth checks a Mini App's initData with. */
      botToken,
      app: web.app,
      /** The sessions behind the cookies, as web keeps them in Redis. */
      sessionStore: web.sessionStore,
      url: served.url,
      category: category.id,
      /** Creates a product in this run's category; its id. */
      addProduct: async (product: NewProduct) =>
        (
          await admin('POST', '/products', {
            priceCents: 1299,
            stock: 5,
            categoryId: category.id,
            ...product,
          })
        ).id,
      /** A browser with an empty cookie jar. */
      browser: () => new TestBrowser(served.url),
      another,
      async close() {
        for (const other of others) await other.close();
        await served.close();
        await shop.close();
      },
    };
  } catch (error) {
    await shop.close();
    throw error;
  }
}

export type ShopWeb = Awaited<ReturnType<typeof startShopWebForTest>>;

/** A page as a browser got it: the answer, its HTML, and the address it ended at. */
export interface Visit {
  status: number;
  html: string;
  url: string;
  res: Response;
}

/**
 * What a browser does over HTTP, without scripts: keeps cookies (name=value, as sent back),
 * follows redirects, and sends a form's POST with the `Origin` of the page it was on (another
 * one, or none, to forge a request from another site).
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();
  readonly setCookies: string[] = [];
  /** Sent with every request (an `X-Forwarded-For` of the proxy in front of the storefront). */
  readonly headers: Record<string, string> = {};

  readonly origin: string;

  constructor(origin: string) {
    this.origin = origin;
  }

  private keep(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): Record<string, string> {
    const jar = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    return jar ? { Cookie: jar } : {};
  }

  async request(
    path: string,
    init: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> } = {},
  ): Promise<Visit> {
    let url = new URL(path, this.origin).href;
    let res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...this.headers, ...this.cookieHeader(), ...init.headers },
    });
    this.keep(res);
    for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 5; hops++) {
      await res.body?.cancel();
      url = new URL(res.headers.get('Location') ?? '/', url).href;
      res = await fetch(url, { redirect: 'manual', headers: { ...this.headers, ...this.cookieHeader() } });
      this.keep(res);
    }
    return {
      status: res.status,
      html: await res.text(),
      url: new URL(url).pathname + new URL(url).search,
      res,
    };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Visit> {
    return this.request(path, { headers });
  }

  /** Submits a form to `path`, from this site unless `origin` names another (null: no Origin at all). */
  post(path: string, fields: Record<string, string>, origin: string | null = this.origin): Promise<Visit> {
    return this.request(path, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(origin === null ? {} : { Origin: origin }),
      },
    });
  }
}

/** The value of hidden field `name` in a page's form. */
export const hiddenField = (html: string, name: string): string =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

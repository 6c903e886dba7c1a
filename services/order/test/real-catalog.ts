import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createTestTokenIssuer, freePort, testDatabaseName } from '@shop/testkit';
import { catalogAdmin, startCatalogForTest } from '../../catalog/test/start.ts';

export interface NewProduct {
  name: string | { en: string; ru: string };
  priceCents: number;
  currency?: string;
  stock: number;
}

/**
 * The real catalog service (PostgreSQL, Redis), started in-process on a free port so the order
 * service reaches it over HTTP exactly as in production. Products are arranged through its
 * admin API. On events of its own: the order suites' events never reach it.
 */
export async function startRealCatalog() {
  const issuer = await createTestTokenIssuer();
  const catalog = await startCatalogForTest({
    issuer,
    suite: `order_catalog_${crypto.randomUUID().slice(0, 8)}`,
    names: { dbName: testDatabaseName('order_catalog') },
  });
  // Observed, not altered: lets a test count what the order service asked for.
  const requests: { path: string; query: URLSearchParams; acceptLanguage: string | null }[] = [];
  const server = await catalog.serve({
    observe: (request) => {
      const url = new URL(request.url);
      requests.push({
        path: url.pathname,
        query: url.searchParams,
        acceptLanguage: request.headers.get('Accept-Language'),
      });
    },
  });
  const call = catalogAdmin(catalog, await issuer.sign({ role: 'admin' }));
  const [category] = ((await (await call('GET', '/categories')).json()) as { items: { id: number }[] }).items;
  if (!category) throw new Error('the catalog has no category to put test products in');

  return {
    url: server.url,
    requests,
    async add(...products: NewProduct[]) {
      const added: { id: number; name: string; priceCents: number }[] = [];
      for (const product of products) {
        const res = await call('POST', '/products', { ...product, categoryId: category.id });
        added.push((await res.json()) as { id: number; name: string; priceCents: number });
      }
      return added;
    },
    remove: (id: number) => call('DELETE', `/products/${id}`),
    /** The merchant changes a price, as between a buyer's summary and their Confirm. */
    setPrice: (id: number, priceCents: number) => call('PATCH', `/products/${id}`, { priceCents }),
    stop: () => catalog.close(),
  };
}

export type RealCatalog = Awaited<ReturnType<typeof startRealCatalog>>;

/**
 * What stands between the order service and a catalog that is not well (`mode` switches at
 * any time): `hang` accepts
 * connections and never answers (a stuck process), `bad-gateway` answers 502 with an HTML page
 * (the proxy in front of a crashed catalog). Network faults, not a fake catalog.
 */
export async function startBrokenUpstream() {
  const sockets = new Set<Socket>();
  const upstream = { url: '', mode: 'hang' as 'hang' | 'bad-gateway', stop };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    if (upstream.mode === 'bad-gateway') {
      const page = '<html><body>502 Bad Gateway</body></html>';
      socket.end(
        `HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: ${page.length}\r\nConnection: close\r\n\r\n${page}`,
      );
    }
  });
  async function stop() {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return upstream;
}

/** A local URL where nothing listens (the port was free a moment ago): connections are refused. */
export async function refusingUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogClient } from '../src/clients/catalog.ts';

/** A catalog stand-in that holds every request until the test answers it. */
const held: { req: IncomingMessage; res: ServerResponse }[] = [];
const server = createServer((req, res) => held.push({ req, res }));
let baseUrl = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const tea = { id: 7, name: 'Tea', priceCents: 450, currency: 'EUR', stock: 3 };
const answerAll = () => {
  for (const { res } of held.splice(0)) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ items: [tea], page: 1, limit: 1, total: 1 }));
  }
};
const requestsArrived = async (count: number) => {
  while (held.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('catalog client', () => {
  it('shares one request among identical lookups made while it is on its way, and only those', async () => {
    const catalog = createCatalogClient({ baseUrl, timeoutMs: 5_000 });
    const first = catalog.productsByIds([7]);
    const second = catalog.productsByIds([7]);
    const russian = catalog.productsByIds([7], { acceptLanguage: 'ru' });
    await requestsArrived(2);
    expect(held.map(({ req }) => [req.url, req.headers['accept-language']])).toEqual([
      ['/products?ids=7', undefined],
      ['/products?ids=7', 'ru'],
    ]);
    answerAll();
    expect(await first).toEqual([tea]);
    expect(await second).toEqual([tea]);
    expect(await russian).toEqual([tea]);

    // Once answered, nothing is kept: the next lookup asks the catalog again.
    const later = catalog.productsByIds([7]);
    await requestsArrived(1);
    answerAll();
    expect(await later).toEqual([tea]);
    catalog.close();
  });

  it('fails every lookup sharing a request that failed, with 503', async () => {
    const catalog = createCatalogClient({ baseUrl, timeoutMs: 5_000 });
    const lookups = [catalog.productsByIds([7]), catalog.productsByIds([7])];
    await requestsArrived(1);
    for (const { res } of held.splice(0)) {
      res.writeHead(502);
      res.end('bad gateway');
    }
    for (const lookup of lookups) await expect(lookup).rejects.toMatchObject({ status: 503 });
    catalog.close();
  });
});

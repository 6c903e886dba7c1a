import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCategory,
  createProduct,
  rawGet,
  serveCatalog,
  startCatalog,
  type ServedCatalog,
  type TestCatalog,
} from '../../services/catalog/test/harness.ts';
import { headerText } from '../support/arbitraries.ts';
import { routesOf } from '../support/routes.ts';
import { requestsFor, type Credentials } from './requests.ts';

const RUNS = 150;

// One catalog served twice, as main.ts runs it (fast path in front) and through Hono alone.
let catalog: TestCatalog;
let fast: ServedCatalog;
let hono: ServedCatalog;
let reads: fc.Arbitrary<{ url: string; headers: Record<string, string> }>;
beforeAll(async () => {
  catalog = await startCatalog({ database: 'catalog_fuzz_fast' });
  const categoryId = await createCategory(catalog);
  for (let i = 0; i < 3; i++) await createProduct(catalog, { categoryId, name: `Tea ${i}` });
  [fast, hono] = [await serveCatalog(catalog), await serveCatalog(catalog, { front: false })];
  const credentials: Credentials = {
    user: catalog.userToken,
    admin: catalog.adminToken,
    attacks: ['not.a.jwt'],
    serviceToken: '',
  };
  const routes = (await routesOf('catalog', catalog.app)).filter(
    (route) => route.method === 'GET' && ['/products', '/products/:id', '/categories'].includes(route.path),
  );
  expect(routes).toHaveLength(3);
  const host = fc.oneof(
    { arbitrary: fc.constant('localhost'), weight: 6 },
    fc.constantFrom('LOCALHOST', 'localhost:3002', '127.0.0.1:65000', 'shop.example', 'a b'),
  );
  reads = fc
    .tuple(
      fc.oneof(...routes.map((route) => requestsFor(route, credentials))),
      host,
      fc.option(headerText(20)),
    )
    .filter(([sent]) => sent.method === 'GET')
    .map(([sent, Host, etag]) => ({
      url: sent.url,
      // The request id is echoed: the same valid one on both sides, or the answers could not be equal.
      headers: {
        ...sent.headers,
        Host,
        'X-Request-Id': `fuzz-${crypto.randomUUID()}`,
        ...(etag === null ? {} : { 'If-None-Match': etag }),
      },
    }));
});
afterAll(async () => {
  await Promise.all([fast.close(), hono.close()]);
  await catalog.close();
});

describe('the catalog fast path in front of Hono, fuzzed', () => {
  it('answers any read exactly as Hono does: status, headers and bytes', { timeout: 60_000 }, async () => {
    let sentToFast = 0;
    const fellBefore = fast.fellThrough.length;
    await fc.assert(
      fc.asyncProperty(reads, async ({ url, headers }) => {
        await rawGet(hono.port, url, headers); // fills the cache and has Hono validate the query, as a first visit would
        const asHono = await rawGet(hono.port, url, headers);
        const asFast = await rawGet(fast.port, url, headers);
        sentToFast++;
        expect(asHono.status, `${url} ${JSON.stringify(headers)}`).toBeLessThan(500);
        expect(asFast, `${url} ${JSON.stringify(headers)}`).toEqual(asHono);
      }),
      { numRuns: RUNS },
    );
    // Differential only if the fast path answered some of them itself.
    expect(fast.fellThrough.length - fellBefore).toBeLessThan(sentToFast);
  });
});

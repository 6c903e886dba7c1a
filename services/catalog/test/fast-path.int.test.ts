import { createMetrics } from '@shop/shared';
import { recordingLogger, serveForTest } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fastPath } from '../src/fast-path/fast-path.ts';
import {
  bearer,
  createCategory,
  createProduct,
  headerOf,
  rawGet,
  rawRequest,
  serveCatalog,
  type ServedCatalog,
  startCatalog as startAny,
  type StartOptions,
  startReplicas,
  versionsAgree,
} from './harness.ts';

// Its own database: no other suite's write turns an expected HIT into a MISS.
const startCatalog = (options: StartOptions = {}) => startAny({ database: 'catalog_fast', ...options });

const { logger, lines } = recordingLogger();
let catalog: Awaited<ReturnType<typeof startCatalog>>;
// One catalog served twice: with the fast path in front (as main.ts runs it) and through Hono alone.
let fast: ServedCatalog;
let hono: ServedCatalog;
beforeAll(async () => {
  catalog = await startCatalog({ logger });
  [fast, hono] = [await serveCatalog(catalog), await serveCatalog(catalog, { front: false })];
});
afterAll(async () => {
  await Promise.all([fast.close(), hono.close()]);
  await catalog.close();
});

/** GETs `path` from both servers with the same request id; `fellThrough` is what the fast path left to Hono. */
async function both(path: string, headers: Record<string, string> = {}) {
  const sent = { 'X-Request-Id': `req-${crypto.randomUUID()}`, ...headers };
  const asHono = await rawGet(hono.port, path, sent);
  const before = fast.fellThrough.length;
  const asFast = await rawGet(fast.port, path, sent);
  return { asHono, asFast, fellThrough: fast.fellThrough.slice(before) };
}

describe('the fast path in front of Hono', () => {
  it.each<[string, Record<string, string>]>([
    ['/products', {}],
    ['/products?limit=3&page=2', {}],
    ['/products?lang=ru', {}],
    ['/products/2', {}],
    ['/products/2', { 'Accept-Language': 'ru-RU,ru;q=0.9,en;q=0.5' }],
    ['/categories', {}],
  ])('answers a cached %s %o with the status, headers and bytes Hono sends', async (path, headers) => {
    await rawGet(hono.port, path, headers); // fills the cache and has Hono validate the query
    const { asHono, asFast, fellThrough } = await both(path, headers);
    expect(fellThrough).toEqual([]);
    expect(headerOf(asHono, 'X-Cache')).toBe('HIT');
    expect(asFast).toEqual(asHono);
  });

  it('answers If-None-Match with the same 304', async () => {
    const etag = headerOf(await rawGet(hono.port, '/products/3'), 'ETag') ?? '';
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const { asHono, asFast, fellThrough } = await both('/products/3', { 'If-None-Match': ifNoneMatch });
      expect(fellThrough).toEqual([]);
      expect(asHono.status).toBe(304);
      expect(asFast).toEqual(asHono);
    }
    const stale = await both('/products/3', { 'If-None-Match': '"stale"' });
    expect([stale.asFast.status, stale.fellThrough]).toEqual([200, []]);
  });

  it('leaves a miss to Hono, then answers the hit itself', async () => {
    await rawGet(fast.port, '/products/5');
    await createCategory(catalog); // a write: a new cache version, the in-process copies are gone
    const before = fast.fellThrough.length;
    const miss = await rawGet(fast.port, '/products/5');
    const hit = await rawGet(fast.port, '/products/5');
    expect(fast.fellThrough.slice(before)).toEqual(['/products/5']);
    expect([headerOf(miss, 'X-Cache'), headerOf(hit, 'X-Cache')]).toEqual(['MISS', 'HIT']);
    expect([hit.body, headerOf(hit, 'ETag')]).toEqual([miss.body, headerOf(miss, 'ETag')]);
  });

  it('leaves a query string Hono has not validated yet to Hono, and answers it itself from then on', async () => {
    const path = `/products?limit=4&unknown=${crypto.randomUUID()}`;
    const before = fast.fellThrough.length;
    const first = await rawGet(fast.port, path);
    const second = await rawGet(fast.port, path);
    expect(fast.fellThrough.slice(before)).toEqual([path]);
    expect([first.status, headerOf(second, 'X-Cache'), second.body]).toEqual([200, 'HIT', first.body]);
  });

  it.each<[string, Record<string, string>]>([
    ['/products?limit=100', {}],
    ['/products/abc', {}],
    ['/products/999999999999', {}],
    ['/products/2/', {}],
    ['/products/%32', {}],
    ['/products/2', { Host: 'LOCALHOST' }],
    ['/products/2', { 'Content-Length': '0' }],
  ])('leaves %s %o to Hono, whose answer goes out unchanged', async (path, headers) => {
    await rawGet(hono.port, path, headers);
    const { asHono, asFast, fellThrough } = await both(path, headers);
    expect(fellThrough).toEqual([path]);
    expect(asFast).toEqual(asHono);
  });

  it('keeps a well-formed X-Request-Id and replaces any other with a UUID, as Hono does', async () => {
    await rawGet(hono.port, '/products/2');
    for (const id of ['abc-1', 'a.b:c', 'tok=', 'x'.repeat(64), 'bad id', 'a.b=', 'x'.repeat(65)]) {
      const { asHono, asFast } = await both('/products/2', { 'X-Request-Id': id });
      const kept = headerOf(asHono, 'X-Request-Id') === id;
      expect(headerOf(asFast, 'X-Request-Id') === id, id).toBe(kept);
      if (!kept) expect(headerOf(asFast, 'X-Request-Id')).toMatch(/^[\da-f]{8}-[\da-f-]{27}$/);
    }
  });

  it('counts a fast answer in /metrics and logs the same access line as Hono', async () => {
    const series = '{method="GET",route="/products/:id",status="200",service="catalog"}';
    const metric = async (name: string) => {
      const text = (await rawGet(fast.port, '/metrics')).body;
      return Number(
        text
          .split('\n')
          .find((line) => line.startsWith(`${name}${series} `))
          ?.split(' ')[1],
      );
    };
    await rawGet(hono.port, '/products/6');
    const before = [await metric('http_requests_total'), await metric('http_request_duration_seconds_count')];
    const { asFast } = await both('/products/6');
    const after = [await metric('http_requests_total'), await metric('http_request_duration_seconds_count')];
    expect(after).toEqual(before.map((count) => count + 2));

    const logged = lines.filter((line) => line.reqId === headerOf(asFast, 'X-Request-Id'));
    expect(logged).toHaveLength(2);
    const [viaHono, viaFast] = logged.map(({ time: _time, ms, ...rest }) => ({ ...rest, ms: typeof ms }));
    expect(viaFast).toEqual(viaHono);
    expect(Object.keys(viaFast ?? {})).toEqual(Object.keys(viaHono ?? {}));
    expect(viaFast).toMatchObject({ method: 'GET', path: '/products/6', status: 200, msg: 'request' });
  });
});

describe('a failing fast path', () => {
  it('logs the error and leaves the request to Hono instead of taking the process down', async () => {
    const recorded = recordingLogger();
    const front = fastPath({
      logger: recorded.logger,
      metrics: createMetrics('catalog'),
      answer: () => {
        throw new Error('a bug in a fast route');
      },
    });
    const server = await serveForTest({ fetch: catalog.app.fetch, front, logger: recorded.logger });
    try {
      const res = await rawGet(server.port, '/products/2');
      expect([res.status, JSON.parse(res.body)]).toEqual([200, expect.objectContaining({ id: 2 })]);
      expect(recorded.lines).toContainEqual(
        expect.objectContaining({ msg: 'fast path failed; answering through Hono', path: '/products/2' }),
      );
    } finally {
      await server.close();
    }
  });
});

describe('two replicas', () => {
  it("an admin write reaches both replicas' fast paths: the writer's at once, the other's over pub/sub", async () => {
    const [a, b] = await startReplicas({ database: 'catalog_fast' });
    const [fastA, fastB] = [await serveCatalog(a), await serveCatalog(b)];
    try {
      const product = await createProduct(a, { categoryId: await createCategory(a), priceCents: 1000 });
      const path = `/products/${product.id}`;
      await versionsAgree(a, b);
      const price = async (served: ServedCatalog) => {
        const res = await rawGet(served.port, path);
        return {
          price: (JSON.parse(res.body) as { priceCents: number }).priceCents,
          cache: headerOf(res, 'X-Cache'),
        };
      };
      for (const served of [fastA, fastB]) await price(served);
      const before = [fastA.fellThrough.length, fastB.fellThrough.length];
      expect([await price(fastA), await price(fastB)]).toEqual([
        { price: 1000, cache: 'HIT' },
        { price: 1000, cache: 'HIT' },
      ]);
      expect([fastA.fellThrough.length, fastB.fellThrough.length]).toEqual(before);

      const body = JSON.stringify({ priceCents: 4321 });
      const headers = { ...bearer(a.adminToken), 'Content-Type': 'application/json' };
      expect((await rawRequest(fastA.port, 'PATCH', path, headers, body)).status).toBe(200);
      expect((await price(fastA)).price).toBe(4321);
      await vi.waitFor(async () => expect((await price(fastB)).price).toBe(4321), {
        timeout: 1_000,
        interval: 1,
      });
      expect([await price(fastA), await price(fastB)]).toEqual([
        { price: 4321, cache: 'HIT' },
        { price: 4321, cache: 'HIT' },
      ]);
    } finally {
      await Promise.all([fastA.close(), fastB.close()]);
      await Promise.all([a.close(), b.close()]);
    }
  });
});

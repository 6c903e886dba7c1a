import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTcpProxy, recordingLogger, type TcpProxy } from '@shop/testkit';
import {
  bearer,
  createCategory,
  createProduct,
  get,
  send,
  startCatalog as startAny,
  type StartOptions,
  type TestCatalog,
} from './harness.ts';

// Its own database: the reference answers below must not change under another suite's writes.
const startCatalog = (options: StartOptions = {}) => startAny({ database: 'catalog_outage', ...options });

function capturedLogger() {
  const { logger, lines } = recordingLogger();
  const count = (text: string) => lines.filter((line) => String(line.msg).includes(text)).length;
  return { logger, count };
}

const DOWN = 'redis cache unavailable';
const BACK = 'redis cache is back';
const paths = ['/products?limit=5', '/products?ids=1,2', '/products/3?lang=ru', '/categories'];

// The truth to compare with: an instance that never caches reads PostgreSQL every time.
let database: TestCatalog;
beforeAll(async () => {
  database = await startCatalog({ env: { CATALOG_CACHE_TTL_SECONDS: '0' } });
});
afterAll(() => database.close());

async function expectDatabaseAnswer(catalog: TestCatalog, path: string) {
  const res = await get(catalog, path);
  expect(res.status, path).toBe(200);
  expect(await res.text(), path).toBe(await (await get(database, path)).text());
  return res;
}

describe('Redis unreachable (a closed port)', () => {
  let catalog: TestCatalog;
  const logs = capturedLogger();
  beforeAll(async () => {
    catalog = await startCatalog({ env: { REDIS_URL: 'redis://127.0.0.1:1' }, logger: logs.logger });
  });
  afterAll(() => catalog.close());

  it('answers every read from PostgreSQL, correctly, with X-Cache: MISS', async () => {
    for (const path of paths)
      expect((await expectDatabaseAnswer(catalog, path)).headers.get('X-Cache')).toBe('MISS');
  });

  it('stays ready (200) and reports the cache as degraded', async () => {
    const res = await get(catalog, '/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'degraded',
      checks: { postgres: 'ok', redis: expect.not.stringMatching(/^ok$/), rabbitmq: 'ok' },
    });
  });

  it('still takes admin writes, and the next read shows them', async () => {
    const product = await createProduct(catalog, {
      categoryId: await createCategory(catalog),
      priceCents: 100,
    });
    await send(catalog, 'PATCH', `/products/${product.id}`, { priceCents: 200 }, bearer(catalog.adminToken));
    expect(await (await get(catalog, `/products/${product.id}`)).json()).toMatchObject({ priceCents: 200 });
  });

  it('still answers 100 concurrent identical reads with one query', async () => {
    const spy = vi.spyOn(catalog.deps.reads, 'categories');
    const answers = await Promise.all(Array.from({ length: 100 }, () => get(catalog, '/categories')));
    expect(answers.every((res) => res.status === 200)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('logged the outage once, however many requests and reconnect attempts it saw', () => {
    expect(logs.count(DOWN)).toBe(1);
  });
});

describe('Redis slow, then down, then back', () => {
  let proxy: TcpProxy;
  let catalog: TestCatalog;
  const logs = capturedLogger();
  beforeAll(async () => {
    proxy = await createTcpProxy(database.config.REDIS_URL);
    catalog = await startCatalog({
      // No in-process cache, so every read really asks Redis. The deadline is 50 ms in production;
      // 150 ms here, so a CI machine busy with other suites doesn't trip it by scheduling alone.
      env: { REDIS_URL: proxy.url, CATALOG_CACHE_TIMEOUT_MS: '150', CATALOG_LOCAL_CACHE_TTL_MS: '0' },
      logger: logs.logger,
    });
  });
  afterAll(async () => {
    await catalog.close();
    await proxy.stop();
  });

  const xCache = async (path: string) => (await get(catalog, path)).headers.get('X-Cache');

  it('caches while Redis answers quickly', async () => {
    await get(catalog, '/products/3?lang=ru');
    expect(await xCache('/products/3?lang=ru')).toBe('HIT');
  });

  it('serves from PostgreSQL once Redis takes longer than its deadline, without waiting on it again', async () => {
    proxy.setDelay(800);
    const started = performance.now();
    const first = await get(catalog, '/products/3?lang=ru');
    expect(performance.now() - started).toBeLessThan(600);
    expect(first.headers.get('X-Cache')).toBe('MISS');
    await expectDatabaseAnswer(catalog, '/products/3?lang=ru');
    const again = performance.now();
    await get(catalog, '/categories');
    expect(performance.now() - again).toBeLessThan(140);
    expect((await get(catalog, '/ready')).status).toBe(200);
  });

  it('keeps answering correctly when the connection drops, and logs one outage in all', async () => {
    proxy.setDelay(0);
    await proxy.stop();
    for (const path of paths) await expectDatabaseAnswer(catalog, path);
    expect(await (await get(catalog, '/ready')).json()).toMatchObject({ status: 'degraded' });
    expect(logs.count(DOWN)).toBe(1);
  });

  it('resumes caching by itself when Redis is back, and logs that once', async () => {
    await proxy.start();
    await vi.waitFor(async () => expect(await xCache('/products/3?lang=ru')).toBe('HIT'), {
      timeout: 5_000,
      interval: 100,
    });
    // A loaded machine's scheduler can miss the deadline once; ready must settle on ok.
    await vi.waitFor(
      async () =>
        expect(await (await get(catalog, '/ready')).json()).toEqual({
          status: 'ok',
          checks: { postgres: 'ok', redis: 'ok', rabbitmq: 'ok' },
        }),
      { timeout: 5_000, interval: 100 },
    );
    expect(logs.count(BACK)).toBe(1);
    expect(logs.count(DOWN)).toBe(1);
  });

  it('shows a write made during an outage once Redis is back, not the answer cached before it', async () => {
    const product = await createProduct(catalog, {
      categoryId: await createCategory(catalog),
      priceCents: 100,
    });
    const path = `/products/${product.id}`;
    await vi.waitFor(async () => expect(await xCache(path)).toBe('HIT'), { timeout: 5_000, interval: 100 });
    await proxy.stop();
    expect((await send(catalog, 'PATCH', path, { priceCents: 555 }, bearer(catalog.adminToken))).status).toBe(
      200,
    );
    await proxy.start();
    await vi.waitFor(async () => expect(await xCache(path)).toBe('HIT'), { timeout: 5_000, interval: 100 });
    expect(await (await get(catalog, path)).json()).toMatchObject({ priceCents: 555 });
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Product } from '../src/db/entities.ts';
import { bumpCacheVersion } from '../src/store/catalog-state.ts';
import type { ProductPage } from '../src/domain/product-views.ts';
import {
  bearer,
  createCategory,
  createProduct,
  get,
  type ListBody,
  send,
  startCatalog as startAny,
  type StartOptions,
  startReplicas,
  type TestCatalog,
  uniqueWord,
  versionsAgree,
} from './harness.ts';

// Its own database: no other suite's writes bump the cache version between a MISS and its HIT.
const startCatalog = (options: StartOptions = {}) => startAny({ database: 'catalog_cache', ...options });

let catalog: TestCatalog;
beforeAll(async () => {
  catalog = await startCatalog();
});
afterAll(() => catalog.close());

const asAdmin = () => bearer(catalog.adminToken);
const json = async <T = ListBody>(res: Response | Promise<Response>) => (await (await res).json()) as T;

describe('cache-aside', () => {
  it.each([['/products?limit=3'], ['/products/2'], ['/categories']])(
    '%s: MISS, then HIT with the same bytes and ETag',
    async (path) => {
      const fresh = await startCatalog();
      try {
        const first = await get(fresh, path);
        const second = await get(fresh, path);
        expect([first.headers.get('X-Cache'), second.headers.get('X-Cache')]).toEqual(['MISS', 'HIT']);
        expect(second.headers.get('ETag')).toBe(first.headers.get('ETag'));
        expect(second.headers.get('ETag')).toMatch(/^"[\w-]{27}"$/);
        expect(await second.text()).toBe(await first.text());
        expect(second.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
      } finally {
        await fresh.close();
      }
    },
  );

  it('sends the bytes stored in Redis as they are, with the TTL from config', async () => {
    const noLocal = await startCatalog({
      env: { CATALOG_LOCAL_CACHE_TTL_MS: '0', CATALOG_CACHE_TTL_SECONDS: '7' },
    });
    try {
      await get(noLocal, '/products/3');
      const [key] = await noLocal.redis.keys(`${noLocal.keyPrefix}*item:en:3`);
      expect(key).toBeDefined();
      expect(await noLocal.redis.ttl(key!)).toBeGreaterThan(0);
      expect(await noLocal.redis.ttl(key!)).toBeLessThanOrEqual(7);
      // Nothing re-serializes a hit: whatever Redis holds is what goes out.
      await noLocal.redis.set(key!, '"planted"\n{ "planted" : true }', 'KEEPTTL');
      const res = await get(noLocal, '/products/3');
      expect(res.headers.get('X-Cache')).toBe('HIT');
      expect(res.headers.get('ETag')).toBe('"planted"');
      expect(await res.text()).toBe('{ "planted" : true }');
    } finally {
      await noLocal.close();
    }
  });

  it('answers 304 without a body when If-None-Match holds the current ETag', async () => {
    const first = await get(catalog, '/products/4');
    const etag = first.headers.get('ETag')!;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await get(catalog, '/products/4', { 'If-None-Match': ifNoneMatch });
      expect(res.status, ifNoneMatch).toBe(304);
      expect(await res.text()).toBe('');
      expect(res.headers.get('ETag')).toBe(etag);
      expect(res.headers.get('X-Cache')).toBe('HIT');
    }
    expect((await get(catalog, '/products/4', { 'If-None-Match': '"stale"' })).status).toBe(200);
  });

  it('gives a changed answer a new ETag, so an old one gets 200 again', async () => {
    const product = await createProduct(catalog, { categoryId: await createCategory(catalog) });
    const etag = (await get(catalog, `/products/${product.id}`)).headers.get('ETag')!;
    await send(catalog, 'PATCH', `/products/${product.id}`, { stock: 99 }, asAdmin());
    const res = await get(catalog, `/products/${product.id}`, { 'If-None-Match': etag });
    expect(res.status).toBe(200);
    expect(res.headers.get('ETag')).not.toBe(etag);
  });

  it('with CATALOG_CACHE_TTL_SECONDS=0 caches nothing: every read is a query', async () => {
    const uncached = await startCatalog({ env: { CATALOG_CACHE_TTL_SECONDS: '0' } });
    try {
      const spy = vi.spyOn(uncached.deps.reads, 'product');
      const answers = await Promise.all([1, 2, 3].map(() => get(uncached, '/products/5')));
      expect(answers.map((res) => res.headers.get('X-Cache'))).toEqual(['MISS', 'MISS', 'MISS']);
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      await uncached.close();
    }
  });
});

describe('invalidation on every admin write', () => {
  const reads = async (categoryId: number, productId: number) => {
    const [list, item, categories] = await Promise.all([
      get(catalog, `/products?category=${categoryId}`),
      get(catalog, `/products/${productId}`),
      get(catalog, '/categories'),
    ]);
    const count = (await json<{ items: { id: number; productCount: number }[] }>(categories)).items.find(
      (c) => c.id === categoryId,
    )?.productCount;
    return {
      list: await json(list),
      item: item.status === 200 ? await json<{ priceCents: number }>(item) : item.status,
      count,
    };
  };

  it('shows a create, an update and a delete on the very next read of lists, items and counts', async () => {
    const categoryId = await createCategory(catalog);
    const first = await createProduct(catalog, { categoryId, priceCents: 1000 });
    await reads(categoryId, first.id);
    expect((await get(catalog, `/products?category=${categoryId}`)).headers.get('X-Cache')).toBe('HIT');

    const second = await createProduct(catalog, { categoryId, priceCents: 500 });
    let now = await reads(categoryId, first.id);
    expect(now.list.items.map((p) => p.id)).toEqual([first.id, second.id]);
    expect(now.count).toBe(2);

    await send(catalog, 'PATCH', `/products/${first.id}`, { priceCents: 1111 }, asAdmin());
    now = await reads(categoryId, first.id);
    expect(now.item).toMatchObject({ priceCents: 1111 });
    expect(now.list.items[0]).toMatchObject({ id: first.id, priceCents: 1111 });

    await send(catalog, 'DELETE', `/products/${first.id}`, undefined, asAdmin());
    now = await reads(categoryId, first.id);
    expect(now.item).toBe(404);
    expect(now.list.items.map((p) => p.id)).toEqual([second.id]);
    expect(now.count).toBe(1);
  });

  it('never keeps a list that a read fetched before a concurrent write (versioned keys)', async () => {
    const categoryId = await createCategory(catalog);
    const product = await createProduct(catalog, { categoryId, priceCents: 1000 });
    const original = catalog.deps.reads.listProducts.bind(catalog.deps.reads);
    let fetched!: () => void;
    let release!: () => void;
    const oldRowsRead = new Promise<void>((resolve) => (fetched = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const spy = vi
      .spyOn(catalog.deps.reads, 'listProducts')
      .mockImplementationOnce(async (filter): Promise<ProductPage> => {
        const page = await original(filter);
        fetched();
        await gate; // the write commits while this read still holds the old rows
        return page;
      });
    const path = `/products?category=${categoryId}`;

    const slowRead = get(catalog, path);
    await oldRowsRead;
    expect(
      (await send(catalog, 'PATCH', `/products/${product.id}`, { priceCents: 2000 }, asAdmin())).status,
    ).toBe(200);
    release();
    expect((await json(slowRead)).items[0]!.priceCents).toBe(1000);

    for (let i = 0; i < 3; i++) expect((await json(get(catalog, path))).items[0]!.priceCents).toBe(2000);
    spy.mockRestore();
  });

  it('repairs a version bump that never reached Redis (a crash between commit and publish)', async () => {
    const syncing = await startCatalog({ env: { CATALOG_VERSION_SYNC_MS: '200' } });
    try {
      const product = await createProduct(syncing, {
        categoryId: await createCategory(syncing),
        priceCents: 1000,
      });
      await get(syncing, `/products/${product.id}`);
      await syncing.orm.em.fork().transactional(async (tx) => {
        await tx.nativeUpdate(Product, { id: product.id }, { priceCents: 3000 });
        await bumpCacheVersion(tx); // and then "crash": nobody tells Redis
      });
      await vi.waitFor(
        async () =>
          expect(
            (await json<{ priceCents: number }>(get(syncing, `/products/${product.id}`))).priceCents,
          ).toBe(3000),
        {
          timeout: 3_000,
          interval: 50,
        },
      );
    } finally {
      await syncing.close();
    }
  });
});

describe('single-flight', () => {
  it('answers 100 concurrent misses on one key with one PostgreSQL query', async () => {
    const word = uniqueWord();
    await createProduct(catalog, { categoryId: await createCategory(catalog), name: word });
    const spy = vi.spyOn(catalog.deps.reads, 'listProducts');
    const answers = await Promise.all(Array.from({ length: 100 }, () => get(catalog, `/products?q=${word}`)));
    expect(spy).toHaveBeenCalledTimes(1);
    const bodies = new Set(await Promise.all(answers.map((res) => res.text())));
    expect(bodies.size).toBe(1);
    expect(answers.every((res) => res.status === 200)).toBe(true);
    expect((await get(catalog, `/products?q=${word}`)).headers.get('X-Cache')).toBe('HIT');
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('keeps loads of different keys apart', async () => {
    const spy = vi.spyOn(catalog.deps.reads, 'listProducts');
    const words = [uniqueWord(), uniqueWord(), uniqueWord()];
    await Promise.all(
      words.flatMap((word) => [get(catalog, `/products?q=${word}`), get(catalog, `/products?q=${word}`)]),
    );
    expect(spy).toHaveBeenCalledTimes(3);
    spy.mockRestore();
  });
});

describe('several replicas', () => {
  it("drops a replica's in-process copy as soon as another replica writes (pub/sub), long before its TTL", async () => {
    const [a, b] = await startReplicas({ database: 'catalog_cache' });
    try {
      const product = await createProduct(a, { categoryId: await createCategory(a), priceCents: 1000 });
      const path = `/products/${product.id}`;
      await versionsAgree(a, b);
      await get(b, path);
      expect((await get(b, path)).headers.get('X-Cache')).toBe('HIT');

      const started = performance.now();
      await send(a, 'PATCH', path, { priceCents: 4321 }, bearer(a.adminToken));
      await vi.waitFor(
        async () => expect((await json<{ priceCents: number }>(get(b, path))).priceCents).toBe(4321),
        { timeout: 1_000, interval: 1 },
      );
      expect(performance.now() - started).toBeLessThan(1_000);
      expect((await json<{ priceCents: number }>(get(a, path))).priceCents).toBe(4321);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedCategories, seedProducts } from '../src/db/seed-data.ts';
import { seedCatalog } from '../src/db/seed.ts';
import { testLogger } from '@shop/testkit';
import { pictureOf } from './image-files.ts';
import {
  createCategory,
  createProduct,
  get,
  startCatalog,
  uniqueWord,
  type ListBody,
  type TestCatalog,
} from './harness.ts';

let catalog: TestCatalog;
beforeAll(async () => {
  catalog = await startCatalog();
});
afterAll(() => catalog.close());

const list = async (path: string, headers: Record<string, string> = {}) => {
  const res = await get(catalog, path, headers);
  expect(res.status).toBe(200);
  return (await res.json()) as ListBody;
};

describe('seed', () => {
  it('fills an empty catalog once: running it again changes nothing', async () => {
    expect(await seedCatalog(catalog.orm.em.fork(), testLogger())).toBe(false);
    const res = await get(catalog, '/categories');
    const { items } = (await res.json()) as { items: { slug: string }[] };
    expect(items.map((c) => c.slug)).toEqual(expect.arrayContaining(seedCategories.map((c) => c.slug)));
    expect(seedCategories.length).toBeGreaterThanOrEqual(5);
    expect(seedProducts.length).toBeGreaterThanOrEqual(30);
    expect(seedProducts.every((p) => Number.isInteger(p.priceCents) && p.priceCents > 0)).toBe(true);
  });

  it('has a category of digital goods priced in Telegram Stars, named in English and Russian, with plenty in stock', async () => {
    const res = await get(catalog, '/categories');
    const { items: categories } = (await res.json()) as { items: { id: number; slug: string }[] };
    const digital = categories.find((category) => category.slug === 'digital');
    expect(digital).toBeDefined();
    const path = `/products?category=${digital!.id}&limit=50`;
    const shown = (body: ListBody) =>
      body.items.map(({ name, priceCents, currency }) => [name, priceCents, currency]).sort();

    expect(shown(await list(path))).toEqual([
      ['E-book: The Art of Tea', 100, 'XTR'],
      ['Sticker Pack: Cheerful Cats', 25, 'XTR'],
      ['Wallpaper Pack: Northern Lights', 50, 'XTR'],
    ]);
    expect(shown(await list(`${path}&lang=ru`))).toEqual([
      ['Набор обоев «Северное сияние»', 50, 'XTR'],
      ['Стикерпак «Весёлые коты»', 25, 'XTR'],
      ['Электронная книга «Искусство чая»', 100, 'XTR'],
    ]);
    expect((await list(path)).items.every((item) => item.stock >= 1_000 && item.imageUrl !== null)).toBe(
      true,
    );
  });

  it('gives every demo product a picture made here, served as a JPEG', async () => {
    const fresh = await startCatalog({ database: `catalog_seed_${crypto.randomUUID().slice(0, 8)}` });
    try {
      const { items, total } = (await (await get(fresh, '/products?limit=50')).json()) as ListBody;
      expect(total).toBe(seedProducts.length);
      expect(items.filter((item) => item.imageUrl === null)).toEqual([]);
      const versions = new Set(
        items.map((item) => new URL(item.imageUrl!, 'http://c').searchParams.get('v')),
      );
      expect(versions.size).toBe(items.length);
      const image = await get(fresh, items[0]!.imageUrl!);
      expect(image.status).toBe(200);
      expect(image.headers.get('Content-Type')).toBe('image/jpeg');
      expect(await pictureOf(await image.arrayBuffer())).toEqual({ format: 'jpeg', width: 480, height: 480 });
    } finally {
      await fresh.close();
    }
  });

  it('gives the demo products of a catalog seeded before photos their pictures, once', async () => {
    const fresh = await startCatalog({ database: `catalog_seed_${crypto.randomUUID().slice(0, 8)}` });
    try {
      const em = fresh.orm.em.fork();
      await em.execute('delete from product_images');
      // A product of the shop's own, without a photo, keeps none.
      const own = await createProduct(fresh, { categoryId: await createCategory(fresh) });
      expect(await seedCatalog(em, testLogger())).toBe(false);
      const [row] = await em.execute<{ count: string }[]>('select count(*) from product_images');
      expect(Number(row?.count)).toBe(seedProducts.length);
      expect(
        ((await (await get(fresh, `/products/${own.id}`)).json()) as { imageUrl: unknown }).imageUrl,
      ).toBeNull();
    } finally {
      await fresh.close();
    }
  });
});

describe('GET /products', () => {
  it('returns the first page of 10 in the contract shape by default', async () => {
    const body = await list('/products');
    expect(body).toMatchObject({ page: 1, limit: 10, total: expect.any(Number) });
    expect(body.total).toBeGreaterThanOrEqual(30);
    expect(body.items).toHaveLength(10);
    expect(Object.keys(body.items[0]!).sort()).toEqual([
      'categoryId',
      'currency',
      'description',
      'id',
      'imageUrl',
      'name',
      'priceCents',
      'stock',
    ]);
  });

  it('pages through a category in id order, and treats empty parameters as not given', async () => {
    const categoryId = await createCategory(catalog);
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await createProduct(catalog, { categoryId, name: `Item ${i}` }));
    const first = await list(`/products?category=${categoryId}&limit=2&q=&page=`);
    const second = await list(`/products?category=${categoryId}&limit=2&page=2`);
    expect(first).toMatchObject({ page: 1, limit: 2, total: 3 });
    expect([...first.items, ...second.items].map((p) => p.id)).toEqual(created.map((p) => p.id));
    expect((await list(`/products?category=${categoryId}&page=3&limit=2`)).items).toEqual([]);
  });

  it('searches names and descriptions in both languages, ignoring case', async () => {
    const word = uniqueWord();
    const categoryId = await createCategory(catalog);
    const inName = await createProduct(catalog, { categoryId, name: { en: `Lamp ${word}`, ru: 'Лампа' } });
    const inRussianDescription = await createProduct(catalog, {
      categoryId,
      name: 'Chair',
      description: { en: 'A chair', ru: `Стул ${word.toUpperCase()} ЁЛКА` },
    });
    const found = await list(`/products?q=${word.toUpperCase()}`);
    expect(found.items.map((p) => p.id)).toEqual([inName.id, inRussianDescription.id]);
    const cyrillic = await list(`/products?category=${categoryId}&q=${encodeURIComponent('ёлка')}`);
    expect(cyrillic.items.map((p) => p.id)).toEqual([inRussianDescription.id]);
  });

  it('matches %, _ and ! literally, never as wildcards', async () => {
    const categoryId = await createCategory(catalog);
    const word = uniqueWord();
    const percent = await createProduct(catalog, { categoryId, name: `${word} 100%_off!` });
    await createProduct(catalog, { categoryId, name: `${word} 100 percent off` });
    for (const q of ['100%_off!', '%_off', '0%', '!']) {
      const body = await list(`/products?category=${categoryId}&q=${encodeURIComponent(q)}`);
      expect(
        body.items.map((p) => p.id),
        q,
      ).toEqual([percent.id]);
    }
    expect((await list(`/products?category=${categoryId}&q=${encodeURIComponent('%')}`)).total).toBe(1);
    expect((await list(`/products?category=${categoryId}&q=_`)).total).toBe(1);
  });

  it('answers in Russian for ?lang=ru or Accept-Language ru, English otherwise', async () => {
    const categoryId = await createCategory(catalog);
    const product = await createProduct(catalog, {
      categoryId,
      name: { en: 'Kettle', ru: 'Чайник' },
      description: { en: 'Hot', ru: 'Горячо' },
    });
    const path = `/products?category=${categoryId}`;
    expect((await list(`${path}&lang=ru`)).items[0]).toMatchObject({
      id: product.id,
      name: 'Чайник',
      description: 'Горячо',
    });
    expect((await list(path, { 'Accept-Language': 'ru-RU,ru;q=0.9,en;q=0.8' })).items[0]!.name).toBe(
      'Чайник',
    );
    expect((await list(path, { 'Accept-Language': 'de-DE,en;q=0.5,ru;q=0.4' })).items[0]!.name).toBe(
      'Kettle',
    );
    expect((await list(path, { 'Accept-Language': 'fr' })).items[0]!.name).toBe('Kettle');
    expect((await list(`${path}&lang=en`, { 'Accept-Language': 'ru' })).items[0]!.name).toBe('Kettle');
    expect((await get(catalog, path, { 'Accept-Language': 'ru' })).headers.get('Vary')).toContain(
      'Accept-Language',
    );
  });

  it('returns the live products among ?ids= for the order snapshot, leaving out deleted and unknown ones', async () => {
    const categoryId = await createCategory(catalog);
    const a = await createProduct(catalog, { categoryId, priceCents: 2500 });
    const b = await createProduct(catalog, { categoryId, priceCents: 700 });
    const gone = await createProduct(catalog, { categoryId });
    await catalog.app.request(`/products/${gone.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${catalog.adminToken}` },
    });
    const body = await list(`/products?ids=${b.id},${a.id},${gone.id},2147483647,9999999999,${a.id}`);
    expect(body.items).toEqual([a, b]);
    expect(body).toMatchObject({ page: 1, limit: 5, total: 2 });
  });
});

describe('GET /products/:id', () => {
  it('returns the product', async () => {
    const product = await createProduct(catalog, {
      categoryId: await createCategory(catalog),
      name: { en: 'Pen', ru: 'Ручка' },
    });
    const res = await get(catalog, `/products/${product.id}?lang=ru`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...product, name: 'Ручка' });
  });

  it.each([
    ['a product that does not exist', '/products/2147483646'],
    ['an id beyond int4', '/products/999999999999'],
    ['an id of 0', '/products/0'],
  ])('answers 404 not_found for %s', async (_label, path) => {
    const res = await get(catalog, path);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('answers an id beyond int4 without asking PostgreSQL', async () => {
    const spy = vi.spyOn(catalog.deps.reads, 'product');
    expect((await get(catalog, '/products/999999999999')).status).toBe(404);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});

describe('GET /categories', () => {
  it('lists every category with the number of its live products', async () => {
    const categoryId = await createCategory(catalog);
    const [first] = [
      await createProduct(catalog, { categoryId }),
      await createProduct(catalog, { categoryId }),
    ];
    await catalog.app.request(`/products/${first.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${catalog.adminToken}` },
    });
    const res = await get(catalog, '/categories?lang=ru');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as {
      items: { id: number; slug: string; name: string; productCount: number }[];
    };
    expect(items.find((c) => c.id === categoryId)).toMatchObject({
      productCount: 1,
      name: expect.stringMatching(/^Категория/),
    });
    expect(items.find((c) => c.slug === 'electronics')).toMatchObject({
      name: 'Электроника',
      productCount: expect.any(Number),
    });
  });
});

describe('bad input gets a clear 4xx in the contract shape', () => {
  it.each([
    ['limit=0', '/products?limit=0', 400, 'query.limit'],
    ['limit=100000 (not clamped)', '/products?limit=100000', 400, 'query.limit'],
    ['limit=51', '/products?limit=51', 400, 'query.limit'],
    ['limit=1.5', '/products?limit=1.5', 400, 'query.limit'],
    ['page=-1', '/products?page=-1', 400, 'query.page'],
    ['page=abc', '/products?page=abc', 400, 'query.page'],
    ['page beyond the cap', '/products?page=100001', 400, 'query.page'],
    ['q of 10 000 characters', `/products?q=${'x'.repeat(10_000)}`, 400, 'query.q'],
    ['category=abc', '/products?category=abc', 400, 'query.category'],
    ['category beyond int4', '/products?category=99999999999', 400, 'query.category'],
    ['ids that are not numbers', '/products?ids=1,abc', 400, 'query.ids'],
    [
      'more than 50 ids',
      `/products?ids=${Array.from({ length: 51 }, (_, i) => i + 1).join(',')}`,
      400,
      'query.ids',
    ],
    ['ids with a filter', '/products?ids=1&category=1', 400, 'query.category'],
    ['an unknown lang', '/products?lang=de', 400, 'query.lang'],
    ['/products/abc', '/products/abc', 400, 'param.id'],
    ['/products/-1', '/products/-1', 400, 'param.id'],
    ['/products/1.5', '/products/1.5', 400, 'param.id'],
  ])('%s -> %i, without a query', async (_label, path, status, field) => {
    const spies = (['listProducts', 'productsByIds', 'product', 'categories'] as const).map((name) =>
      vi.spyOn(catalog.deps.reads, name),
    );
    const res = await get(catalog, path);
    expect(res.status).toBe(status);
    const { error } = (await res.json()) as {
      error: { code: string; message: string; details: { path: string }[] };
    };
    expect(error.code).toBe('validation_failed');
    expect(error.details.map((d) => d.path)).toContain(field);
    for (const spy of spies) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
  });

  it('answers 404 for a category that does not exist, and caches nothing for it', async () => {
    const res = await get(catalog, '/products?category=2147483000');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'Category 2147483000 was not found' },
    });
    expect(res.headers.get('X-Cache')).toBeNull();
  });
});

describe('service endpoints', () => {
  it('is ready with PostgreSQL, Redis and RabbitMQ up, and documents its routes', async () => {
    const ready = await get(catalog, '/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ok',
      checks: { postgres: 'ok', redis: 'ok', rabbitmq: 'ok' },
    });
    const doc = (await (await get(catalog, '/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/products', '/products/{id}', '/products/{id}/image', '/categories']),
    );
    expect((await get(catalog, '/metrics')).status).toBe(200);
    expect((await get(catalog, '/health')).status).toBe(200);
  });
});

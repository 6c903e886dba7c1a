import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Product } from '../src/db/entities.ts';
import {
  bearer,
  createCategory,
  createProduct,
  get,
  send,
  startCatalog,
  uniqueWord,
  type TestCatalog,
} from './harness.ts';

let catalog: TestCatalog;
let categoryId: number;
beforeAll(async () => {
  catalog = await startCatalog();
  categoryId = await createCategory(catalog);
});
afterAll(() => catalog.close());

const asAdmin = () => bearer(catalog.adminToken);
const valid = () => ({ name: { en: 'Teapot', ru: 'Заварник' }, priceCents: 1599, stock: 7, categoryId });

describe('POST /products', () => {
  it('creates a product with both languages and answers 201 with the item and its Location', async () => {
    const res = await send(
      catalog,
      'POST',
      '/products?lang=ru',
      { ...valid(), description: { en: 'Glass', ru: 'Стекло' } },
      asAdmin(),
    );
    expect(res.status).toBe(201);
    const item = (await res.json()) as { id: number };
    expect(item).toEqual({
      id: expect.any(Number),
      name: 'Заварник',
      description: 'Стекло',
      priceCents: 1599,
      currency: 'USD',
      stock: 7,
      categoryId,
      imageUrl: null,
    });
    expect(res.headers.get('Location')).toBe(`/products/${item.id}`);
    expect(await (await get(catalog, `/products/${item.id}`)).json()).toMatchObject({
      name: 'Teapot',
      description: 'Glass',
    });
  });

  it('takes one string as the name in both languages and defaults description, currency and stock', async () => {
    const res = await send(
      catalog,
      'POST',
      '/products',
      { name: '  Plain  ', priceCents: 100, categoryId },
      asAdmin(),
    );
    expect(res.status).toBe(201);
    const item = (await res.json()) as { id: number };
    expect(item).toMatchObject({ name: 'Plain', description: '', currency: 'USD', stock: 0 });
    expect(await (await get(catalog, `/products/${item.id}?lang=ru`)).json()).toMatchObject({
      name: 'Plain',
    });
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['negative priceCents', { priceCents: -100 }, 'json.priceCents'],
    ['zero priceCents', { priceCents: 0 }, 'json.priceCents'],
    ['fractional priceCents', { priceCents: 10.5 }, 'json.priceCents'],
    ['priceCents as a string', { priceCents: '1000' }, 'json.priceCents'],
    ['an empty name', { name: '' }, 'json.name'],
    ['a blank name', { name: '   ' }, 'json.name'],
    ['an empty Russian name', { name: { en: 'Ok', ru: '' } }, 'json.name'],
    ['a 10 000-character name', { name: 'x'.repeat(10_000) }, 'json.name'],
    ['a 201-character name', { name: 'x'.repeat(201) }, 'json.name'],
    ['an unknown field', { color: 'red' }, 'json'],
    ['an id', { id: 1 }, 'json'],
    ['createdAt', { createdAt: '2020-01-01T00:00:00Z' }, 'json'],
    ['an unknown language', { name: { en: 'A', ru: 'Б', de: 'C' } }, 'json.name'],
    ['negative stock', { stock: -1 }, 'json.stock'],
    ['a lower-case currency', { currency: 'usd' }, 'json.currency'],
    ['no categoryId', { categoryId: undefined }, 'json.categoryId'],
  ];
  it.each(invalid)('rejects %s with 400 and stores nothing', async (_label, change, field) => {
    const marker = uniqueWord();
    const res = await send(
      catalog,
      'POST',
      '/products',
      { ...valid(), description: marker, ...change },
      asAdmin(),
    );
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; details: { path: string }[] } };
    expect(error.code).toBe('validation_failed');
    expect(error.details.map((d) => d.path).join(' ')).toContain(field);
    expect(await catalog.orm.em.fork().count(Product, { descriptionEn: marker })).toBe(0);
  });

  it('rejects a category that does not exist with 400 unknown_category', async () => {
    const res = await send(catalog, 'POST', '/products', { ...valid(), categoryId: 2147483000 }, asAdmin());
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'unknown_category' } });
  });

  it('rejects a body that is not JSON with 400', async () => {
    const res = await catalog.app.request('/products', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...asAdmin() },
      body: '{"name":',
    });
    expect(res.status).toBe(400);
  });
});

describe('admin routes need an admin token', () => {
  const routes: [string, string][] = [
    ['POST', '/products'],
    ['PATCH', '/products/1'],
    ['DELETE', '/products/1'],
  ];
  it.each(routes)('%s %s answers 401 without a token, also for a bad body', async (method, path) => {
    const res = await send(catalog, method, path, { nonsense: true });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it.each(routes)('%s %s answers 401 for a forged token', async (method, path) => {
    const res = await send(catalog, method, path, valid(), bearer(`${catalog.adminToken.slice(0, -4)}AAAA`));
    expect(res.status).toBe(401);
  });

  it.each(routes)('%s %s answers 403 for a user token and changes nothing', async (method, path) => {
    const before = await get(catalog, '/products/1');
    const res = await send(catalog, method, path, valid(), bearer(catalog.userToken));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect(await (await get(catalog, '/products/1')).json()).toEqual(await before.json());
  });
});

describe('PATCH /products/:id', () => {
  it('changes only the fields given', async () => {
    const product = await createProduct(catalog, { ...valid(), description: { en: 'Old', ru: 'Старое' } });
    const res = await send(
      catalog,
      'PATCH',
      `/products/${product.id}`,
      { priceCents: 2000, name: { ru: 'Новый' } },
      asAdmin(),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...product, priceCents: 2000 });
    expect(await (await get(catalog, `/products/${product.id}?lang=ru`)).json()).toMatchObject({
      name: 'Новый',
      description: 'Старое',
      priceCents: 2000,
    });
  });

  it('keeps search in step with a renamed product', async () => {
    const [before, after] = [uniqueWord(), uniqueWord()];
    const product = await createProduct(catalog, { ...valid(), name: before });
    await send(catalog, 'PATCH', `/products/${product.id}`, { name: { en: after } }, asAdmin());
    const found = async (q: string) =>
      ((await (await get(catalog, `/products?q=${q}`)).json()) as { total: number }).total;
    expect(await found(after)).toBe(1);
    expect(await found(before)).toBe(1); // still the Russian name
    await send(catalog, 'PATCH', `/products/${product.id}`, { name: after }, asAdmin());
    expect(await found(before)).toBe(0);
  });

  it.each([
    ['an empty body', {}],
    ['negative priceCents', { priceCents: -1 }],
    ['fractional priceCents', { priceCents: 0.5 }],
    ['an empty name', { name: '' }],
    ['a 10 000-character name', { name: { en: 'x'.repeat(10_000) } }],
    ['an unknown field', { deletedAt: null }],
    ['the id', { id: 5 }],
  ])('rejects %s with 400', async (_label, body) => {
    const product = await createProduct(catalog, valid());
    const res = await send(catalog, 'PATCH', `/products/${product.id}`, body, asAdmin());
    expect(res.status).toBe(400);
    expect(await (await get(catalog, `/products/${product.id}`)).json()).toEqual(product);
  });

  it.each([
    ['a product that does not exist', '/products/2147483000', 404],
    ['an id beyond int4', '/products/99999999999', 404],
    ['a non-numeric id', '/products/abc', 400],
  ])('answers for %s with %i', async (_label, path, status) => {
    const res = await send(catalog, 'PATCH', path, { stock: 1 }, asAdmin());
    expect(res.status).toBe(status);
  });
});

describe('DELETE /products/:id', () => {
  it('soft-deletes: 204, then 404 on GET, PATCH and a second DELETE, gone from lists, row kept', async () => {
    const word = uniqueWord();
    const product = await createProduct(catalog, { ...valid(), name: word });
    const res = await send(catalog, 'DELETE', `/products/${product.id}`, undefined, asAdmin());
    expect(res.status).toBe(204);
    expect((await get(catalog, `/products/${product.id}`)).status).toBe(404);
    expect((await send(catalog, 'PATCH', `/products/${product.id}`, { stock: 1 }, asAdmin())).status).toBe(
      404,
    );
    expect((await send(catalog, 'DELETE', `/products/${product.id}`, undefined, asAdmin())).status).toBe(404);
    expect(await (await get(catalog, `/products?q=${word}`)).json()).toMatchObject({ items: [], total: 0 });
    const row = await catalog.orm.em.fork().findOneOrFail(Product, { id: product.id });
    expect(row.deletedAt).toBeInstanceOf(Date);
  });
});

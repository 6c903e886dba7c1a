import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
beforeAll(async () => {
  // A database of its own: the category order it checks is the whole catalog's, and other suites
  // add and move categories in the shared one at the same time.
  catalog = await startCatalog({ database: 'catalog_admin' });
});
afterAll(() => catalog.close());

const asAdmin = () => bearer(catalog.adminToken);
const admin = (method: string, path: string, body?: unknown) => send(catalog, method, path, body, asAdmin());
const json = async <T>(res: Response | Promise<Response>) => (await (await res).json()) as T;

interface AdminCategory {
  id: number;
  slug: string;
  name: string;
  productCount: number;
  hidden: boolean;
  position: number;
  names: { en: string; ru: string };
}

async function newCategory(en = `Cat ${uniqueWord()}`, ru = `Кат ${uniqueWord()}`) {
  const res = await admin('POST', '/categories', { name: { en, ru } });
  expect(res.status).toBe(201);
  return json<AdminCategory>(res);
}

const publicCategories = async () =>
  (await json<{ items: { id: number }[] }>(get(catalog, '/categories'))).items.map((c) => c.id);
const adminCategories = async () =>
  (await json<{ items: AdminCategory[] }>(send(catalog, 'GET', '/admin/categories', undefined, asAdmin())))
    .items;

describe('POST /categories', () => {
  it('creates a category in both languages, last in the order, with a slug made from its English name', async () => {
    const word = uniqueWord();
    const res = await send(
      catalog,
      'POST',
      '/categories?lang=ru',
      { name: { en: `Green ${word} Tea!`, ru: 'Зелёный чай' } },
      asAdmin(),
    );
    expect(res.status).toBe(201);
    const created = await json<AdminCategory>(res);
    expect(created).toEqual({
      id: expect.any(Number),
      slug: `green-${word}-tea`,
      name: 'Зелёный чай',
      productCount: 0,
      hidden: false,
      position: expect.any(Number),
      names: { en: `Green ${word} Tea!`, ru: 'Зелёный чай' },
    });
    expect((await adminCategories()).at(-1)?.id).toBe(created.id);
    expect(await publicCategories()).toContain(created.id);

    const again = await newCategory(`Green ${word} tea`);
    expect(again.slug).toBe(`green-${word}-tea-2`);
  });

  it('answers 409 slug_taken for a slug that is taken, and 400 for a name too long', async () => {
    const first = await newCategory();
    const taken = await admin('POST', '/categories', { name: 'Copy', slug: first.slug });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ error: { code: 'slug_taken' } });
    const long = await admin('POST', '/categories', { name: { en: 'x'.repeat(201), ru: 'ok' } });
    expect(long.status).toBe(400);
  });
});

describe('PATCH /categories/:id', () => {
  it('renames one language and keeps the other', async () => {
    const category = await newCategory('Before', 'До');
    const res = await admin('PATCH', `/categories/${category.id}`, { name: { ru: 'После' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ names: { en: 'Before', ru: 'После' }, name: 'Before' });
  });

  it('moves a category to another place, the others keeping their order', async () => {
    const [a, b, c] = [await newCategory(), await newCategory(), await newCategory()];
    const mine = async () =>
      (await adminCategories()).filter((x) => [a.id, b.id, c.id].includes(x.id)).map((x) => x.id);
    expect(await mine()).toEqual([a.id, b.id, c.id]);

    const moved = await json<AdminCategory>(admin('PATCH', `/categories/${c.id}`, { position: b.position }));
    expect(moved.position).toBe(b.position);
    expect(await mine()).toEqual([a.id, c.id, b.id]);
    await admin('PATCH', `/categories/${a.id}`, { position: 2_000_000_000 });
    expect(await mine()).toEqual([c.id, b.id, a.id]);
    expect((await adminCategories()).at(-1)?.id).toBe(a.id);
  });

  it('hides a category and its products from buyers, and shows them again', async () => {
    const category = await newCategory();
    const word = uniqueWord();
    const product = await createProduct(catalog, { categoryId: category.id, name: word });

    const hidden = await json<AdminCategory>(admin('PATCH', `/categories/${category.id}`, { hidden: true }));
    expect(hidden).toMatchObject({ hidden: true, productCount: 1 });
    expect(await publicCategories()).not.toContain(category.id);
    expect((await get(catalog, `/products?category=${category.id}`)).status).toBe(404);
    expect((await get(catalog, `/products/${product.id}`)).status).toBe(404);
    expect(await json(get(catalog, `/products?q=${word}`))).toMatchObject({ total: 0 });
    expect(await json(get(catalog, `/products?ids=${product.id}`))).toMatchObject({ items: [] });
    expect((await adminCategories()).find((x) => x.id === category.id)).toMatchObject({ hidden: true });

    await admin('PATCH', `/categories/${category.id}`, { hidden: false });
    expect(await publicCategories()).toContain(category.id);
    expect(await json(get(catalog, `/products/${product.id}`))).toMatchObject({ name: word });
  });

  it.each([
    ['an empty body', {}],
    ['a negative position', { position: -1 }],
    ['an empty name', { name: { en: '' } }],
    ['an unknown field', { slug: 'new' }],
  ])('rejects %s with 400', async (_label, body) => {
    const category = await newCategory();
    expect((await admin('PATCH', `/categories/${category.id}`, body)).status).toBe(400);
  });

  it('answers 404 for a category that does not exist', async () => {
    expect((await admin('PATCH', '/categories/2147483000', { hidden: true })).status).toBe(404);
    expect((await admin('PATCH', '/categories/99999999999', { hidden: true })).status).toBe(404);
  });
});

describe('hidden products', () => {
  it('are left out of every public read and shown by the admin reads', async () => {
    const categoryId = await createCategory(catalog);
    const word = uniqueWord();
    const product = await createProduct(catalog, {
      categoryId,
      name: { en: word, ru: `${word} ру` },
      description: { en: 'Glass', ru: 'Стекло' },
    });
    const res = await admin('PATCH', `/products/${product.id}`, { hidden: true });
    expect(res.status).toBe(200);

    expect((await get(catalog, `/products/${product.id}`)).status).toBe(404);
    expect(await json(get(catalog, `/products?category=${categoryId}`))).toMatchObject({
      items: [],
      total: 0,
    });
    expect(await json(get(catalog, `/products?q=${word}`))).toMatchObject({ total: 0 });
    expect(await json(get(catalog, `/products?ids=${product.id}`))).toMatchObject({ items: [] });

    const one = await json(
      send(catalog, 'GET', `/admin/products/${product.id}?lang=ru`, undefined, asAdmin()),
    );
    expect(one).toEqual({
      ...product,
      name: `${word} ру`,
      description: 'Стекло',
      hidden: true,
      names: { en: word, ru: `${word} ру` },
      descriptions: { en: 'Glass', ru: 'Стекло' },
    });
    const page = await json(
      send(catalog, 'GET', `/admin/products?category=${categoryId}`, undefined, asAdmin()),
    );
    expect(page).toMatchObject({ items: [{ id: product.id, hidden: true }], page: 1, limit: 10, total: 1 });

    await admin('PATCH', `/products/${product.id}`, { hidden: false });
    expect(await json(get(catalog, `/products/${product.id}`))).toMatchObject({ name: word });
  });

  it('can be created hidden', async () => {
    const categoryId = await createCategory(catalog);
    const res = await admin('POST', '/products', {
      name: 'Secret',
      priceCents: 100,
      categoryId,
      hidden: true,
    });
    expect(res.status).toBe(201);
    expect((await get(catalog, `/products/${(await json<{ id: number }>(res)).id}`)).status).toBe(404);
  });

  it('answers 404 on the admin list of a category that does not exist', async () => {
    const res = await send(catalog, 'GET', '/admin/products?category=2147483000', undefined, asAdmin());
    expect(res.status).toBe(404);
  });
});

describe('PATCH /products/:id addStock', () => {
  it('adds to what can be bought, takes away, and refuses to go below zero', async () => {
    const product = await createProduct(catalog, { categoryId: await createCategory(catalog), stock: 5 });
    const path = `/products/${product.id}`;
    expect(await json(admin('PATCH', path, { addStock: 7 }))).toMatchObject({ stock: 12 });
    expect(await json(admin('PATCH', path, { addStock: -2 }))).toMatchObject({ stock: 10 });
    const below = await admin('PATCH', path, { addStock: -11 });
    expect(below.status).toBe(409);
    expect(await below.json()).toMatchObject({ error: { code: 'insufficient_stock' } });
    expect((await admin('PATCH', path, { addStock: 1, stock: 3 })).status).toBe(400);
    expect((await admin('PATCH', path, { addStock: 0 })).status).toBe(400);
    expect(await json(get(catalog, path))).toMatchObject({ stock: 10 });
  });
});

describe('the new admin routes need an admin token', () => {
  const routes: [string, string, unknown][] = [
    ['POST', '/categories', { name: 'Nope' }],
    ['PATCH', '/categories/1', { hidden: true }],
    ['GET', '/admin/categories', undefined],
    ['GET', '/admin/products?category=1', undefined],
    ['GET', '/admin/products/1', undefined],
    ['GET', '/admin/categories/1', undefined],
  ];
  it.each(routes)('%s %s answers 401 without a token and 403 for a user', async (method, path, body) => {
    expect((await send(catalog, method, path, body)).status).toBe(401);
    const res = await send(catalog, method, path, body, bearer(catalog.userToken));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
  });
});

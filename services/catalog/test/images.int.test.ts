import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES } from '../src/domain/images.ts';
import {
  gifOf,
  jpegOf,
  pictureOf,
  pngClaiming,
  pngOf,
  svgPicture,
  truncatedPng,
  webpOf,
} from './image-files.ts';
import {
  bearer,
  createCategory,
  createProduct,
  get,
  headerOf,
  rawGet,
  send,
  serveCatalog,
  startCatalog,
  type ListBody,
  type ServedCatalog,
  type TestCatalog,
} from './harness.ts';

let catalog: TestCatalog;
let served: ServedCatalog;
let categoryId: number;
beforeAll(async () => {
  // In-process copies that outlive the test: only the upload's invalidation can drop them.
  catalog = await startCatalog({ env: { CATALOG_LOCAL_CACHE_TTL_MS: '600000' } });
  served = await serveCatalog(catalog);
  categoryId = await createCategory(catalog);
});
afterAll(async () => {
  await served.close();
  await catalog.close();
});

const newProduct = () => createProduct(catalog, { categoryId });
const put = (
  id: number,
  body: RequestInit['body'],
  headers: Record<string, string> = bearer(catalog.adminToken),
) =>
  catalog.app.request(`/products/${id}/image`, {
    method: 'PUT',
    headers: { 'Content-Type': 'image/jpeg', ...headers },
    body,
  });
const imageUrlOf = async (id: number) =>
  ((await (await get(catalog, `/products/${id}`)).json()) as { imageUrl: string | null }).imageUrl;
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

/** The refused upload left no trace: still no photo, or still the one before. */
async function expectPhotoUnchanged(id: number, before: string | null) {
  expect(await imageUrlOf(id)).toBe(before);
  const res = await get(catalog, `/products/${id}/image`);
  expect(res.status).toBe(before === null ? 404 : 200);
}

describe('PUT /products/:id/image', () => {
  it.each([
    ['a JPEG', () => jpegOf(1600, 1200), { width: 800, height: 600 }],
    ['a PNG with transparency', () => pngOf(300, 200, true), { width: 300, height: 200 }],
    ['a WebP', () => webpOf(1000, 1000), { width: 800, height: 800 }],
  ])('stores %s resized to fit 800×800, as a JPEG the product now names', async (_, make, size) => {
    const product = await newProduct();
    expect(product.imageUrl).toBeNull();
    // The Content-Type says nothing: the bytes decide.
    const res = await put(product.id, await make(), {
      ...bearer(catalog.adminToken),
      'Content-Type': 'application/octet-stream',
    });
    expect(res.status).toBe(204);
    const imageUrl = await imageUrlOf(product.id);
    expect(imageUrl).toMatch(new RegExp(`^/products/${product.id}/image\\?v=[\\w-]{22}$`));
    const image = await get(catalog, imageUrl!);
    expect(image.status).toBe(200);
    expect(image.headers.get('Content-Type')).toBe('image/jpeg');
    expect(await pictureOf(await image.arrayBuffer())).toEqual({ format: 'jpeg', ...size });
  });

  it('refuses a text file named .jpg with 415, storing nothing', async () => {
    const product = await newProduct();
    const text = new File(['just some words, not a picture'], 'photo.jpg', { type: 'image/jpeg' });
    const res = await put(product.id, text);
    expect(res.status).toBe(415);
    expect(await errorOf(res)).toBe('unsupported_media_type');
    await expectPhotoUnchanged(product.id, null);
  });

  it.each([
    ['a GIF', () => gifOf(50, 50)],
    ['an SVG', () => Promise.resolve(svgPicture)],
  ])('refuses %s with 415: only JPEG, PNG and WebP', async (_, make) => {
    const product = await newProduct();
    const res = await put(product.id, await make());
    expect(res.status).toBe(415);
    await expectPhotoUnchanged(product.id, null);
  });

  it('refuses 6 MB with 413 from its Content-Length, before reading it', async () => {
    const product = await newProduct();
    const res = await fetch(`http://127.0.0.1:${served.port}/products/${product.id}/image`, {
      method: 'PUT',
      headers: { ...bearer(catalog.adminToken), 'Content-Type': 'image/jpeg' },
      body: Buffer.alloc(6 * 1024 * 1024, 0xff),
    });
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toBe('payload_too_large');
    await expectPhotoUnchanged(product.id, null);
  });

  it('stops reading a body of unknown length once it passes 5 MB (413), never buffering the rest', async () => {
    const product = await newProduct();
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0xff);
    // 50 MB on offer, sent as it is read.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 50 * 1024 * 1024) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await catalog.app.request(`/products/${product.id}/image`, {
      method: 'PUT',
      headers: bearer(catalog.adminToken),
      body,
      duplex: 'half',
    });
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(MAX_IMAGE_BYTES + 1024 * 1024);
    await expectPhotoUnchanged(product.id, null);
  });

  it('takes an image of exactly 5 MB', async () => {
    const product = await newProduct();
    const png = await pngOf(64, 64);
    // A PNG may carry bytes after its end; they count towards the limit like any others.
    const padded = Buffer.concat([png, Buffer.alloc(MAX_IMAGE_BYTES - png.length)]);
    expect((await put(product.id, padded)).status).toBe(204);
  });

  it.each([
    ['1×100000', () => pngOf(1, 100_000)],
    ['100000×1', () => pngOf(100_000, 1)],
    ['a 30000×30000 bomb in a few bytes', () => pngClaiming(30_000, 30_000)],
    ['9000×9000 (81 megapixels)', () => pngClaiming(9_000, 9_000)],
    ['100×2500 (narrower than Telegram shows)', () => pngOf(100, 2_500)],
  ])('refuses %s with 400, storing nothing', async (_, make) => {
    const product = await newProduct();
    const res = await put(product.id, await make());
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toBe('invalid_image_dimensions');
    await expectPhotoUnchanged(product.id, null);
  });

  it('refuses a truncated PNG with 400 and keeps the photo it had', async () => {
    const product = await newProduct();
    expect((await put(product.id, await jpegOf(100, 100))).status).toBe(204);
    const before = await imageUrlOf(product.id);
    const res = await put(product.id, await truncatedPng());
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toBe('invalid_image');
    await expectPhotoUnchanged(product.id, before);
  });

  it('refuses an empty body with 400', async () => {
    const product = await newProduct();
    const res = await put(product.id, new Uint8Array(0));
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toBe('empty_body');
  });

  it('answers 401 without a token and 403 to a buyer, storing nothing', async () => {
    const product = await newProduct();
    const jpeg = await jpegOf(100, 100);
    expect((await put(product.id, jpeg, {})).status).toBe(401);
    expect((await put(product.id, jpeg, bearer(catalog.userToken))).status).toBe(403);
    await expectPhotoUnchanged(product.id, null);
  });

  it('answers 404 for an unknown or deleted product and 400 for an id that is not one', async () => {
    const jpeg = await jpegOf(100, 100);
    expect((await put(2_000_000_000, jpeg)).status).toBe(404);
    const product = await newProduct();
    expect(
      (await send(catalog, 'DELETE', `/products/${product.id}`, undefined, bearer(catalog.adminToken)))
        .status,
    ).toBe(204);
    expect((await put(product.id, jpeg)).status).toBe(404);
    expect((await put(Number.NaN, jpeg)).status).toBe(400);
  });

  it('replaces the photo: a new version, a new URL, the old URL answers the new photo briefly', async () => {
    const product = await newProduct();
    await put(product.id, await jpegOf(100, 100));
    const first = (await imageUrlOf(product.id))!;
    await put(product.id, await jpegOf(200, 100));
    const second = (await imageUrlOf(product.id))!;
    expect(second).not.toBe(first);
    const old = await get(catalog, first);
    expect(await pictureOf(await old.arrayBuffer())).toMatchObject({ width: 200, height: 100 });
    expect(old.headers.get('Cache-Control')).toBe('public, max-age=60');
  });
});

describe('GET /products/:id/image', () => {
  it('is public, with a strong ETag, cached for good by its versioned URL, 304 when unchanged', async () => {
    const product = await newProduct();
    await put(product.id, await jpegOf(120, 80));
    const imageUrl = (await imageUrlOf(product.id))!;
    const version = new URL(imageUrl, 'http://catalog').searchParams.get('v');

    const res = await get(catalog, imageUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('ETag')).toBe(`"${version}"`);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    // A storefront on another origin may show it.
    expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');

    const again = await get(catalog, imageUrl, { 'If-None-Match': `"${version}"` });
    expect(again.status).toBe(304);
    expect(again.headers.get('ETag')).toBe(`"${version}"`);
    expect(await again.text()).toBe('');
    expect((await get(catalog, imageUrl, { 'If-None-Match': `W/"x", "${version}"` })).status).toBe(304);
    expect((await get(catalog, imageUrl, { 'If-None-Match': '"someone-else"' })).status).toBe(200);
    const unversioned = await get(catalog, `/products/${product.id}/image`);
    expect(unversioned.headers.get('Cache-Control')).toBe('public, max-age=60');
  });

  it('answers 404 for a product without a photo, an unknown product and a deleted one', async () => {
    const product = await newProduct();
    expect((await get(catalog, `/products/${product.id}/image`)).status).toBe(404);
    expect((await get(catalog, '/products/2000000000/image')).status).toBe(404);
    await put(product.id, await jpegOf(50, 50));
    const imageUrl = (await imageUrlOf(product.id))!;
    await send(catalog, 'DELETE', `/products/${product.id}`, undefined, bearer(catalog.adminToken));
    expect((await get(catalog, imageUrl)).status).toBe(404);
  });
});

describe('imageUrl in product JSON', () => {
  it('is null, then names the photo at once in cached reads (item, list, ids, fast path)', async () => {
    const product = await newProduct();
    const paths = [
      `/products/${product.id}`,
      `/products?category=${categoryId}&limit=50`,
      `/products?ids=${product.id}`,
    ];
    const imageUrlIn = (path: string, body: string) => {
      const parsed = JSON.parse(body) as {
        imageUrl?: string | null;
        items?: { id: number; imageUrl: string | null }[];
      };
      return path.startsWith(`/products/${product.id}`)
        ? parsed.imageUrl
        : parsed.items?.find((item) => item.id === product.id)?.imageUrl;
    };
    // Warm every layer: the second read of each is an in-process hit the fast path answers.
    for (const path of paths) {
      await rawGet(served.port, path);
      const hit = await rawGet(served.port, path);
      expect(headerOf(hit, 'X-Cache')).toBe('HIT');
      expect(imageUrlIn(path, hit.body)).toBeNull();
    }

    expect((await put(product.id, await jpegOf(64, 64))).status).toBe(204);

    const expected = await imageUrlOf(product.id);
    expect(expected).toMatch(/\?v=/);
    for (const path of paths) expect(imageUrlIn(path, (await rawGet(served.port, path)).body)).toBe(expected);
    const list = (await (await get(catalog, `/products?category=${categoryId}&limit=50`)).json()) as ListBody;
    expect(list.items.find((item) => item.id === product.id)?.imageUrl).toBe(expected);
  });

  it('keeps the photo when the product is edited, and PATCH answers with it', async () => {
    const product = await newProduct();
    await put(product.id, await jpegOf(64, 64));
    const imageUrl = await imageUrlOf(product.id);
    const res = await send(
      catalog,
      'PATCH',
      `/products/${product.id}`,
      { priceCents: 4321 },
      bearer(catalog.adminToken),
    );
    expect(await res.json()).toMatchObject({ priceCents: 4321, imageUrl });
  });
});

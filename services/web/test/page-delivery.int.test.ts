import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { eventually } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebForTest, type TestWeb } from './start.ts';

const BROWSER = { 'Accept-Encoding': 'gzip, deflate, br, zstd' };

/** The body as the browser reads it, decoded by its `Content-Encoding`. */
async function decoded(res: Response): Promise<string> {
  const bytes = Buffer.from(await res.arrayBuffer());
  const encoding = res.headers.get('Content-Encoding');
  if (encoding === 'br') return brotliDecompressSync(bytes).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(bytes).toString('utf8');
  return bytes.toString('utf8');
}

let web: TestWeb;
let teapot: number;
beforeAll(async () => {
  // The page cache on, as a shop runs it (the tests' default is off).
  web = await startWebForTest('web_delivery', { WEB_PAGE_CACHE_MS: '60000' });
  teapot = await web.addProduct({ name: { en: 'Iron teapot', ru: 'Чугунный чайник' }, stock: 4 });
});
afterAll(() => web.close());

describe('compression', () => {
  it('sends the catalog and product pages with brotli, else gzip, as the browser accepts, else plain', async () => {
    for (const path of [`/?category=${web.category}`, `/products/${teapot}`]) {
      const br = await web.app.request(path, { headers: BROWSER });
      expect(br.headers.get('Content-Encoding'), path).toBe('br');
      expect(br.headers.get('Vary'), path).toMatch(/Accept-Language, Cookie, Accept-Encoding/);
      expect(br.headers.get('Content-Type'), path).toMatch(/^text\/html; charset=utf-8/i);
      const html = await decoded(br);
      expect(html, path).toMatch(/^<!doctype html><html lang="en">/);
      expect(html, path).toContain('Iron teapot');

      const gzip = await web.app.request(path, { headers: { 'Accept-Encoding': 'gzip, deflate' } });
      expect(gzip.headers.get('Content-Encoding'), path).toBe('gzip');
      expect(await decoded(gzip), path).toBe(html);

      const plain = await web.app.request(path, { headers: { 'Accept-Encoding': 'identity' } });
      expect(plain.headers.get('Content-Encoding'), path).toBeNull();
      expect(await plain.text(), path).toBe(html);
    }
  });

  it('compresses the other pages with gzip too', async () => {
    const res = await web.app.request('/signin', { headers: BROWSER });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Encoding')).toBe('gzip');
    expect(res.headers.get('Vary')).toMatch(/Accept-Encoding/);
    expect(await decoded(res)).toContain('<form');
  });

  it('sends the stylesheet compressed, cached for good under its versioned link, revalidated by ETag', async () => {
    const { html } = await web.page('/');
    const href = (/<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1] ?? '').replaceAll('&amp;', '&');
    const css = await web.app.request(href, { headers: BROWSER });
    expect(css.status).toBe(200);
    expect(css.headers.get('Content-Encoding')).toBe('br');
    expect(css.headers.get('Vary')).toBe('Accept-Encoding');
    expect(css.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    const text = await decoded(css);
    expect(text).toContain('.card');
    const plain = await web.app.request(href);
    expect(await plain.text()).toBe(text);

    // Each coding has its own validator: a 304 only for the representation the browser holds.
    const etag = css.headers.get('ETag')!;
    expect(etag).toMatch(/^"[\w-]+\.br"$/);
    expect(plain.headers.get('ETag')).toBe(etag.replace('.br', ''));
    const again = await web.app.request(href, { headers: { ...BROWSER, 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('Vary')).toBe('Accept-Encoding');
    const other = await web.app.request(href, {
      headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': etag },
    });
    expect(other.status).toBe(200);
    expect(other.headers.get('Content-Encoding')).toBe('gzip');
    // Without the version the link may change: revalidated every time.
    const unversioned = await web.app.request('/assets/style.css', { headers: BROWSER });
    expect(unversioned.headers.get('Cache-Control')).toBe('no-cache');
    expect(unversioned.headers.get('ETag')).toBe(etag);
  });

  it('sends what is too small to gain anything (the icon) as it is', async () => {
    const icon = await web.app.request('/assets/icon.svg', { headers: BROWSER });
    expect(icon.status).toBe(200);
    expect(icon.headers.get('Content-Encoding')).toBeNull();
    expect(await icon.text()).toContain('<svg');
  });
});

/** Changes product `id` as the merchant would, through the catalog's admin API. */
async function patchProduct(kit: TestWeb, id: number, body: unknown) {
  const res = await kit.catalog.app.request(`/products/${id}`, {
    method: 'PATCH',
    headers: { ...(await kit.catalog.user('admin')).headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

describe('the page cache', () => {
  it('answers a page as first rendered until WEB_PAGE_CACHE_MS has passed, then as the catalog is', async () => {
    const quick = await startWebForTest('web_delivery_ttl', { WEB_PAGE_CACHE_MS: '300' });
    try {
      const id = await quick.addProduct({ name: 'Clay cup' });
      const path = `/products/${id}`;
      expect((await quick.page(path)).html).toContain('Clay cup');
      await patchProduct(quick, id, { name: 'Stone cup' });
      expect((await quick.page(path)).html).toContain('Clay cup');
      await eventually(async () => expect((await quick.page(path)).html).toContain('Stone cup'));
    } finally {
      await quick.close();
    }
  });

  it('keeps a page per language and address', async () => {
    const path = `/products/${teapot}`;
    expect((await web.page(path, { 'Accept-Language': 'en' })).html).toContain('<h1>Iron teapot</h1>');
    expect((await web.page(path, { 'Accept-Language': 'ru' })).html).toContain('<h1>Чугунный чайник</h1>');
    expect((await web.page(`${path}?lang=ru`)).html).toContain('<h1>Чугунный чайник</h1>');
    const chosen = await web.page(`${path}?lang=en`, { 'Accept-Language': 'ru' });
    expect(chosen.html).toContain('<h1>Iron teapot</h1>');
    // The language asked for is still remembered, the page coming from memory or not.
    expect(chosen.res.headers.get('Set-Cookie')).toMatch(/^lang=en;/);
  });

  it('keeps no "not found": a product shown again is on its page at once', async () => {
    const id = await web.addProduct({ name: 'Hidden kettle', hidden: true });
    expect((await web.page(`/products/${id}`)).res.status).toBe(404);
    await patchProduct(web, id, { hidden: false });
    const shown = await web.page(`/products/${id}`);
    expect(shown.res.status).toBe(200);
    expect(shown.html).toContain('Hidden kettle');
  });
});

describe('photos', () => {
  it('fetches the photos seen as a page opens at once and first, the others when scrolled near', async () => {
    const kit = await startWebForTest('web_delivery_photos');
    try {
      const ids = [];
      for (const name of ['Cup one', 'Cup two', 'Cup three']) {
        const id = await kit.addProduct({ name });
        await kit.addPhoto(id);
        ids.push(id);
      }
      const photos = (html: string) => [...html.matchAll(/<img [^>]*>/g)].map(([tag]) => tag);
      const grid = photos((await kit.page(`/?category=${kit.category}`)).html);
      expect(grid).toHaveLength(3);
      for (const tag of grid.slice(0, 2)) expect(tag).toMatch(/loading="eager" fetchpriority="high"/);
      expect(grid[2]).toMatch(/loading="lazy" fetchpriority="auto"/);
      for (const tag of grid) expect(tag).toMatch(/width="320" height="320"/);

      const own = photos((await kit.page(`/products/${ids[2]}`)).html);
      expect(own).toHaveLength(1);
      expect(own[0]).toMatch(/width="640" height="640" loading="eager" fetchpriority="high"/);
    } finally {
      await kit.close();
    }
  });
});

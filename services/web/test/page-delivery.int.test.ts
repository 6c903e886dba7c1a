import { brotliDecompressSync, gunzipSync } from 'node:zlib';
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
beforeAll(async () => {
  web = await startWebForTest('web_delivery');
});
afterAll(() => web.close());

describe('compression', () => {
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

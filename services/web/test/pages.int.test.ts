import { freePort } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressesIn, startWebForTest, type TestWeb } from './start.ts';

let web: TestWeb;
let teapot: number;
let kettle: number;
let hidden: number;
beforeAll(async () => {
  web = await startWebForTest('web_pages');
  teapot = await web.addProduct({
    name: { en: 'Clay teapot', ru: 'Глиняный чайник' },
    description: { en: 'Holds a litre.\nHand made.', ru: 'Вмещает литр.\nРучная работа.' },
    priceCents: 123_450,
    stock: 3,
  });
  kettle = await web.addProduct({ name: { en: 'Copper kettle', ru: 'Медный чайник' }, stock: 0 });
  hidden = await web.addProduct({ name: 'Secret samovar', hidden: true });
  await web.addPhoto(teapot);
});
afterAll(() => web.close());

describe('the catalog page', () => {
  it('shows the categories and the products of one, with prices and stock, in English', async () => {
    const { res, html } = await web.page(`/?category=${web.category}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html; charset=utf-8/i);
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).toContain('All products');
    expect(html).toMatch(/Teaware \w+ <span class="count">2<\/span>/);
    expect(html).toContain(`href="/products/${teapot}"`);
    expect(html).toContain('Clay teapot');
    expect(html).toContain('$1,234.50');
    expect(html).toContain('In stock: 3');
    expect(html).toContain('Copper kettle');
    expect(html).toContain('Out of stock');
    expect(html).not.toContain('Secret samovar');
  });

  it('speaks Russian by ?lang=ru, remembers the choice in a cookie, and by Accept-Language', async () => {
    const asked = await web.page(`/?category=${web.category}&lang=ru`);
    expect(asked.html).toMatch(/<html lang="ru">/);
    expect(asked.html).toContain('Глиняный чайник');
    expect(asked.html).toContain('1\u00a0234,50\u00a0$');
    expect(asked.html).toContain('В наличии: 3');
    const cookie = asked.res.headers.get('Set-Cookie') ?? '';
    expect(cookie).toMatch(/^lang=ru;/);
    expect(cookie).toMatch(/HttpOnly/);

    const remembered = await web.page(`/?category=${web.category}`, { Cookie: 'lang=ru' });
    expect(remembered.html).toContain('Глиняный чайник');
    const browser = await web.page(`/?category=${web.category}`, {
      'Accept-Language': 'ru-RU,ru;q=0.9,en;q=0.8',
    });
    expect(browser.html).toMatch(/<html lang="ru">/);
    expect(browser.html).toContain('Медный чайник');
    expect(browser.res.headers.get('Vary')).toMatch(/Accept-Language/);
    // The language switch keeps what the page shows.
    expect(browser.html).toContain(`href="/?category=${web.category}&amp;lang=en"`);
  });

  it('searches with ?q= in both languages, and says when nothing is found', async () => {
    const found = await web.page(`/?q=${encodeURIComponent('медный')}`);
    expect(found.html).toContain('Copper kettle');
    expect(found.html).not.toContain('Clay teapot');
    expect(found.html).toContain(`value="медный"`);

    const none = await web.page('/?q=no-such-thing-anywhere&lang=en');
    expect(none.res.status).toBe(200);
    expect(none.html).toContain('Nothing found for “no-such-thing-anywhere”.');
  });

  it('ignores parameters the catalog would refuse instead of failing', async () => {
    for (const path of [
      '/?category=abc',
      '/?page=0',
      '/?page=-1',
      `/?q=${'x'.repeat(500)}`,
      '/?category=99999999999',
    ]) {
      const { res } = await web.page(path);
      expect(res.status, path).toBe(200);
    }
  });

  it('shows photos from its own origin, passed on from the catalog with their caching', async () => {
    const { html } = await web.page(`/?category=${web.category}`);
    const photo = /<img src="(\/products\/\d+\/image\?v=[\w-]+)"/.exec(html)?.[1];
    expect(photo).toBeDefined();
    expect(html).toContain('class="no-photo"');
    for (const address of addressesIn(html)) expect(address, address).toMatch(/^\/(?!\/)/);

    const image = await web.app.request(photo!);
    expect(image.status).toBe(200);
    expect(image.headers.get('Content-Type')).toBe('image/jpeg');
    expect(image.headers.get('Cache-Control')).toContain('immutable');
    const bytes = new Uint8Array(await image.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    const again = await web.app.request(photo!, { headers: { 'If-None-Match': image.headers.get('ETag')! } });
    expect(again.status).toBe(304);
    expect((await web.app.request(`/products/${kettle}/image`)).status).toBe(404);
  });

  it('serves its stylesheet, versioned for caching, under the same policy', async () => {
    const { html } = await web.page('/');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(href).toMatch(/^\/assets\/style\.css\?v=[\w-]+$/);
    const css = await web.app.request(href.replaceAll('&amp;', '&'));
    expect(css.status).toBe(200);
    expect(css.headers.get('Content-Type')).toMatch(/^text\/css/);
    expect(css.headers.get('Cache-Control')).toContain('immutable');
    expect(await css.text()).toContain('.card');
  });
});

describe('the product page', () => {
  it('shows the product with its photo, price, stock and description, in the language asked', async () => {
    const { res, html } = await web.page(`/products/${teapot}?lang=ru`);
    expect(res.status).toBe(200);
    expect(html).toContain('<title>Глиняный чайник · Telegram Shop</title>');
    expect(html).toContain('<h1>Глиняный чайник</h1>');
    expect(html).toContain('Вмещает литр.\nРучная работа.');
    expect(html).toMatch(new RegExp(`<img src="/products/${teapot}/image\\?v=`));
    expect(html).toContain(`href="/?category=${web.category}"`);
  });

  it('answers 404 with a page for an unknown, hidden or malformed product, and for an unknown path', async () => {
    for (const path of [
      '/products/2147483000',
      `/products/${hidden}`,
      '/products/abc',
      '/products/-1',
      '/nowhere',
    ]) {
      const { res, html } = await web.page(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('Content-Type'), path).toMatch(/^text\/html/);
      expect(html, path).toContain('Not found');
      expect(html, path).not.toContain('Secret samovar');
    }
    const ru = await web.page('/products/2147483000', { 'Accept-Language': 'ru' });
    expect(ru.html).toContain('Не найдено');
  });
});

describe('health', () => {
  it('answers /health, /metrics, and /ready with the catalog up and order and auth reported down', async () => {
    expect((await web.app.request('/health')).status).toBe(200);
    expect(await (await web.app.request('/metrics')).text()).toContain('http_request');
    const ready = await web.app.request('/ready');
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe('degraded');
    expect(body.checks.catalog).toBe('ok');
    expect(body.checks.order).not.toBe('ok');
    expect(body.checks.auth).not.toBe('ok');
  });
});

describe('without the catalog', () => {
  let lost: TestWeb;
  beforeAll(async () => {
    lost = await startWebForTest('web_no_catalog', { CATALOG_URL: `http://127.0.0.1:${await freePort()}` });
  });
  afterAll(() => lost.close());

  it('is not ready, naming the catalog, and shows a page saying the shop is unavailable (503)', async () => {
    const ready = await lost.app.request('/ready');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      error: { code: 'not_ready', message: expect.stringContaining('catalog') },
    });
    const { res, html } = await lost.page('/');
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('5');
    expect(html).toContain('The shop cannot answer right now');
  });
});

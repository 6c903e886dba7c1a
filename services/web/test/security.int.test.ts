import { loadConfig } from '@shop/shared';
import { testLogger } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webConfigSchema } from '../src/config.ts';
import { buildWeb } from '../src/wiring.ts';
import { addressesIn, startWebForTest, type TestWeb } from './start.ts';

/** Attributes named on… in the page's tags (text is escaped, so every `<` there opens a tag of ours). */
const handlerAttributes = (html: string) =>
  (html.match(/<[^>]*>/g) ?? []).filter((tag) => /\son\w+\s*=/i.test(tag.replace(/"[^"]*"/g, '""')));

/** The page without its own scripts (the Mini App bridge, this origin's, `defer`): none other may be there. */
const withoutOwnScripts = (html: string) =>
  html.replaceAll(/<script src="\/assets\/[\w-]+\.js(?:\?v=[\w-]+)?" defer=""><\/script>/g, '');

let web: TestWeb;
beforeAll(async () => {
  web = await startWebForTest('web_security');
});
afterAll(() => web.close());

describe('text a merchant writes', () => {
  const attacks = [
    { name: '<script>alert("name")</script>', description: '<script src="/evil.js"></script>' },
    { name: '"onerror="alert(1)', description: '<img src=x onerror=alert(2)>' },
    { name: "' onmouseover='alert(3)", description: '"><svg onload=alert(4)>' },
    { name: 'javascript:alert(5)', description: '<a href="javascript:alert(6)">click</a>' },
  ];

  it.each(attacks)('renders $name as text on the catalog and the product page', async (attack) => {
    const id = await web.addProduct(attack);
    for (const path of [
      `/?category=${web.category}`,
      `/products/${id}`,
      `/?q=${encodeURIComponent(attack.name)}`,
    ]) {
      const { res, html: page } = await web.page(path);
      expect(res.status, path).toBe(200);
      const html = withoutOwnScripts(page);
      // No markup of the merchant's: no script element, no handler attribute, no address of theirs.
      expect(html, path).not.toMatch(/<script|<svg|<img src=x/i);
      expect(handlerAttributes(html), path).toEqual([]);
      for (const address of addressesIn(html)) expect(address, path).toMatch(/^\/(?!\/)/);
      expect(html, path).toContain(
        attack.name
          .replaceAll('&', '&amp;')
          .replaceAll('<', '&lt;')
          .replaceAll('>', '&gt;')
          .replaceAll('"', '&quot;')
          .replaceAll("'", '&#39;'),
      );
    }
    const page = (await web.page(`/products/${id}`)).html;
    expect(page).toContain(
      attack.description.replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;'),
    );
  });

  it('echoes a search as text, in the field and in the answer', async () => {
    const q = '"><script>alert(7)</script>';
    const { html } = await web.page(`/?q=${encodeURIComponent(q)}`);
    expect(withoutOwnScripts(html)).not.toContain('<script');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(7)&lt;/script&gt;"');
    expect(html).toContain('Nothing found for “&quot;&gt;&lt;script&gt;alert(7)&lt;/script&gt;”.');
  });
});

describe('headers', () => {
  const policyOf = (res: Response) => res.headers.get('Content-Security-Policy') ?? '';

  it('sends a strict Content-Security-Policy on every answer: only this origin, no inline code, framed by Telegram', async () => {
    const id = await web.addProduct({ name: 'Plain cup' });
    await web.addPhoto(id);
    const photo = /<img src="([^"]+)"/.exec((await web.page(`/products/${id}`)).html)?.[1] ?? '';
    for (const path of [
      '/',
      `/products/${id}`,
      '/products/0',
      '/nowhere',
      photo,
      '/assets/style.css',
      '/health',
    ]) {
      const res = await web.app.request(path);
      const policy = policyOf(res);
      expect(policy, path).toContain("default-src 'self'");
      expect(policy, path).toContain("object-src 'none'");
      expect(policy, path).toContain("base-uri 'none'");
      expect(policy, path).toContain("form-action 'self'");
      const sources = policy.split(/[;\s]+/);
      for (const loose of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'https:', 'http:', 'blob:'])
        expect(sources, path).not.toContain(loose);
      expect(policy, path).toMatch(
        /frame-ancestors 'self' https:\/\/web\.telegram\.org https:\/\/\*\.telegram\.org/,
      );
      // Framing is the policy's to decide: X-Frame-Options DENY would keep the Mini App out of Telegram.
      expect(res.headers.get('X-Frame-Options'), path).toBeNull();
      expect(res.headers.get('X-Content-Type-Options'), path).toBe('nosniff');
      expect(res.headers.get('Referrer-Policy'), path).toBe('no-referrer');
    }
  });

  it('lets local pages (the sandbox) frame it outside production only', async () => {
    const development = policyOf(await web.app.request('/'));
    expect(development).toMatch(/frame-ancestors [^;]*http:\/\/localhost:\*/);
    const config = loadConfig(webConfigSchema, { NODE_ENV: 'production', CATALOG_URL: web.catalogUrl });
    const production = await buildWeb(config, testLogger());
    const res = await production.app.request('/');
    for (const closer of production.closers) await closer.close();
    expect(res.status).toBe(200);
    expect(policyOf(res)).toBe(
      "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self' https://web.telegram.org https://*.telegram.org",
    );
  });

  it('serves pages whose only script is the Mini App bridge, from this origin, and no inline style', async () => {
    const { html } = await web.page(`/?category=${web.category}`);
    expect(html.match(/<script[^>]*>/g)).toEqual([
      expect.stringMatching(/^<script src="\/assets\/mini-app\.js\?v=[\w-]+" defer="">$/),
    ]);
    expect(withoutOwnScripts(html)).not.toMatch(/<script|<style|\sstyle=/i);
    const bridge = await web.app.request(/src="([^"]+)"/.exec(html)?.[1] ?? '');
    expect(bridge.status).toBe(200);
    expect(bridge.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(bridge.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
  });
});

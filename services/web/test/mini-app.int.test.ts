/**
 * The storefront inside Telegram, over HTTP as the Mini App's frame uses it, against the whole shop
 * in-process and the sandbox standing in for Telegram (it makes the invoice links): the Mini App's
 * own session (cookie, CSRF token, forgery refused), and how an order is paid by where it was
 * placed: a browser's by the web method, a Mini App's by its Telegram invoice (Pay), Stars only
 * inside Telegram.
 */
import { initDataKey, signInitData } from '@shop/shared';
import { eventually, requestJson, testLogger, uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/index.ts';
import { hiddenField, startShopWebForTest, type ShopWeb, type TestBrowser } from './start.ts';

const PROVIDER_TOKEN = '284685063:TEST:web-mini-app';
const botToken = `${100_000_000 + Math.floor(Math.random() * 1e8)}:web-mini-app-${crypto.randomUUID()}`;

let sandbox: RunningSandbox;
let web: ShopWeb;
let teapot: number;
let stickers: number;
beforeAll(async () => {
  sandbox = await startSandbox({ botToken, logger: testLogger() });
  web = await startShopWebForTest('web_mini_app', {
    botToken,
    // Telegram payments set up, as `npm start` does: orders placed in Telegram get invoices.
    paymentEnv: {
      TELEGRAM_PAYMENT_PROVIDER_TOKEN: PROVIDER_TOKEN,
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: sandbox.url,
    },
  });
  teapot = await web.addProduct({ name: { en: 'Clay teapot', ru: 'Глиняный чайник' }, priceCents: 2_500 });
  stickers = await web.addProduct({ name: 'Sticker pack', priceCents: 40, currency: 'XTR', stock: 50 });
}, 90_000);
afterAll(async () => {
  await web.close();
  await sandbox.close();
});

const delivery = { name: 'Ann', phone: '+7 900 000-00-00', address: '1 Garden Ring, Moscow' };
const newTelegramId = () => 5_000_000_000 + Math.floor(Math.random() * 1e9);
const initDataOf = (telegramId: number) =>
  signInitData(
    {
      user: JSON.stringify({ id: telegramId, first_name: 'Ann', language_code: 'en' }),
      auth_date: String(Math.floor(Date.now() / 1000)),
    },
    initDataKey(botToken),
  );
const csrfOf = (html: string) => /<meta name="csrf-token" content="([\w-]+)"/.exec(html)?.[1] ?? '';
/**
 * Pay's request for the order's invoice link, as the bridge sends it: again while the invoice is
 * still being made (409 not_ready: payment hears of the reservation a moment after order does).
 */
const invoiceOf = (browser: TestBrowser, id: number, csrf: string, query = '') =>
  eventually(async () => {
    const res = await json(browser, `/orders/${id}/invoice${query}`, { 'X-CSRF-Token': csrf });
    expect(res.html).not.toContain('not_ready');
    return res;
  });
const json = (browser: TestBrowser, path: string, headers: Record<string, string> = {}) =>
  browser.request(path, {
    method: 'POST',
    body: '{}',
    headers: { 'Content-Type': 'application/json', Origin: web.url, ...headers },
  });

/** A Mini App frame signed in by Telegram's initData, as the bridge does it; with its CSRF token. */
async function miniApp(telegramId = newTelegramId(), on: Pick<ShopWeb, 'browser' | 'url'> = web) {
  const browser = on.browser();
  const initData = initDataOf(telegramId);
  const signIn = await browser.request('/session/telegram', {
    method: 'POST',
    body: JSON.stringify({ initData }),
    headers: { 'Content-Type': 'application/json', Origin: on.url },
  });
  expect(signIn.status).toBe(204);
  const csrf = csrfOf((await browser.get('/')).html);
  expect(csrf).toMatch(/^[\w-]{43}$/);
  return { browser, csrf, telegramId, initData };
}

/** Checks the cart out from the checkout page, with the CSRF token when given; the order page reached. */
async function checkOut(browser: TestBrowser, csrf?: string) {
  const page = await browser.get('/checkout');
  return browser.post('/checkout', {
    idempotencyKey: hiddenField(page.html, 'idempotencyKey'),
    expectedTotalCents: hiddenField(page.html, 'expectedTotalCents'),
    ...delivery,
    ...(csrf ? { csrf } : {}),
  });
}

const orderIdOf = (url: string) => Number(/^\/orders\/(\d+)$/.exec(url)?.[1]);
const statusOf = async (browser: TestBrowser, id: number) =>
  (JSON.parse((await browser.get(`/orders/${id}/status`)).html) as { status: string }).status;

describe('a Mini App session', () => {
  it('is a cookie of its own, sent inside Telegram Web’s frame, and its pages name its Telegram user and carry its CSRF token', async () => {
    const { browser, csrf, telegramId } = await miniApp();
    expect(browser.setCookies).toEqual([
      expect.stringMatching(
        /^mini-session=[\w-]{43}; Max-Age=2592000; Path=\/; HttpOnly; Secure; SameSite=None; Partitioned$/,
      ),
      // The pages speak the Telegram user's language, remembered where the frame can send it back.
      'lang=en; Max-Age=31536000; Path=/; HttpOnly; Secure; SameSite=None; Partitioned',
    ]);
    const cart = await browser.get('/cart');
    expect(cart.url).toBe('/cart');
    expect(cart.html).toContain(`<body data-telegram-user="${telegramId}" data-back="/">`);
    expect(csrfOf(cart.html)).toBe(csrf);
    expect(cart.html).not.toMatch(/eyJ[\w-]+\.eyJ/);
    // A browser's pages carry neither.
    const visitor = await web.browser().get('/');
    expect(visitor.html).not.toContain('data-telegram-user');
    expect(visitor.html).not.toContain('csrf-token');
  });

  it('gets pages of its own from a storefront that keeps the catalog’s pages (WEB_PAGE_CACHE_MS): never another’s CSRF token', async () => {
    const cached = await web.another({ WEB_PAGE_CACHE_MS: '60000' });
    const product = `/products/${teapot}`;
    const visitorFirst = await cached.browser().get(product);
    expect(visitorFirst.html).not.toContain('csrf-token');
    const ann = await miniApp(newTelegramId(), cached);
    const bob = await miniApp(newTelegramId(), cached);
    expect(bob.csrf).not.toBe(ann.csrf);
    for (const path of ['/', product]) {
      expect(csrfOf((await ann.browser.get(path)).html)).toBe(ann.csrf);
      expect(csrfOf((await bob.browser.get(path)).html)).toBe(bob.csrf);
      const visitor = await cached.browser().get(path);
      expect(visitor.html).not.toContain('csrf-token');
      expect(visitor.html).not.toContain('data-telegram-user');
    }
  });

  it('is __Host- in production', async () => {
    const production = await web.another({ NODE_ENV: 'production' });
    const browser = production.browser();
    const res = await browser.request('/session/telegram', {
      method: 'POST',
      body: JSON.stringify({ initData: initDataOf(newTelegramId()) }),
      headers: { 'Content-Type': 'application/json', Origin: production.url },
    });
    expect(res.status).toBe(204);
    expect(browser.setCookies[0]).toMatch(
      /^__Host-mini-session=[\w-]{43}; Max-Age=2592000; Path=\/; HttpOnly; Secure; SameSite=None; Partitioned$/,
    );
  });

  it('refuses a change without its CSRF token, or with another, with 403, and changes nothing', async () => {
    const { browser, csrf } = await miniApp();
    const other = (await miniApp()).csrf;
    for (const token of [undefined, other, `${csrf.slice(0, -1)}x`]) {
      const forged = await browser.post(`/cart/items/${teapot}`, {
        op: 'add',
        quantity: '2',
        ...(token ? { csrf: token } : {}),
      });
      expect(forged.status, String(token)).toBe(403);
      expect(forged.html).toContain('This form was sent from another site, so nothing was done.');
      const invoice = await json(browser, '/orders/1/invoice', token ? { 'X-CSRF-Token': token } : {});
      expect(invoice.status).toBe(403);
      expect(JSON.parse(invoice.html)).toMatchObject({ error: { code: 'forbidden' } });
      expect((await browser.post('/signout', token ? { csrf: token } : {})).status).toBe(403);
    }
    expect((await browser.get('/cart')).html).toContain('Your cart is empty.');
    // From another site the token does not help either: the origin is checked first.
    const crossSite = await browser.post(
      `/cart/items/${teapot}`,
      { op: 'add', quantity: '1', csrf },
      'https://evil.example',
    );
    expect(crossSite.status).toBe(403);
    // Its own page's form, with the token the bridge adds: done.
    const added = await browser.post(`/cart/items/${teapot}`, { op: 'add', quantity: '1', csrf });
    expect(added.url).toBe('/cart');
    expect(added.html).toContain('Clay teapot');
  });

  it("replaces a browser's session in the same browser, and an e-mail sign-in replaces it", async () => {
    const browser = web.browser();
    const email = uniqueEmail('mini');
    await browser.post('/register', { email, password: 'a long enough password', next: '/' });
    const emailSession = browser.cookies.get('session');
    expect(emailSession).toBeDefined();
    const signIn = await browser.request('/session/telegram', {
      method: 'POST',
      body: JSON.stringify({ initData: initDataOf(newTelegramId()) }),
      headers: { 'Content-Type': 'application/json', Origin: web.url },
    });
    expect(signIn.status).toBe(204);
    expect(browser.cookies.has('session')).toBe(false);
    expect(await web.sessionStore.read(emailSession!)).toBeUndefined();
    const csrf = csrfOf((await browser.get('/')).html);
    const miniSession = browser.cookies.get('mini-session');

    const again = await browser.post('/signin', {
      email,
      password: 'a long enough password',
      next: '/account',
      csrf,
    });
    expect(again.url).toBe('/account');
    expect(browser.cookies.has('mini-session')).toBe(false);
    expect(await web.sessionStore.read(miniSession!)).toBeUndefined();
    expect(again.html).not.toContain('data-telegram-user');
  });

  it('is useless once signed out, and the same initData cannot sign in again', async () => {
    const { browser, csrf, initData } = await miniApp();
    const stolen = new Map(browser.cookies);
    const out = await browser.post('/signout', { csrf });
    expect(out.url).toBe('/');
    expect(browser.cookies.has('mini-session')).toBe(false);
    const replay = web.browser();
    for (const [name, value] of stolen) replay.cookies.set(name, value);
    expect((await replay.get('/cart')).url).toBe('/signin?next=%2Fcart');
    const replayed = await replay.request('/session/telegram', {
      method: 'POST',
      body: JSON.stringify({ initData }),
      headers: { 'Content-Type': 'application/json', Origin: web.url },
    });
    expect(replayed.status).toBe(401);
    expect(replay.setCookies).toEqual([]);
  });
});

describe('how an order is paid, by where it was placed', () => {
  it('pays a browser order by the web method, though Telegram payments are set up, and offers no Pay', async () => {
    const browser = web.browser();
    await browser.post('/register', {
      email: uniqueEmail('web'),
      password: 'a long enough password',
      next: '/',
    });
    await browser.post(`/cart/items/${teapot}`, { op: 'add', quantity: '1' });
    const placed = await checkOut(browser);
    const id = orderIdOf(placed.url);
    expect(placed.html).not.toContain('data-pay');
    await eventually(async () => expect(await statusOf(browser, id)).toBe('paid'), 20_000, 200);
    const token = (await web.sessionStore.read(browser.cookies.get('session')!))!.accessToken;
    const order = await requestJson(web.shop.apps.order, 'GET', `/orders/${id}`, undefined, {
      Authorization: `Bearer ${token}`,
    });
    expect(await order.json()).toMatchObject({ channel: 'web', status: 'paid' });
    const payments = await requestJson(web.shop.apps.payment, 'GET', `/payments?orderId=${id}`, undefined, {
      Authorization: `Bearer ${token}`,
    });
    expect(await payments.json()).toEqual([
      expect.objectContaining({ method: 'simulated', status: 'succeeded' }),
    ]);
  }, 60_000);

  it("pays a Mini App order by its Telegram invoice: Pay gives the invoice link's slug, in the buyer's language", async () => {
    const { browser, csrf, telegramId } = await miniApp();
    await browser.post(`/cart/items/${teapot}`, { op: 'add', quantity: '2', csrf });
    const placed = await checkOut(browser, csrf);
    const id = orderIdOf(placed.url);
    expect(placed.html).toContain(`data-pay="/orders/${id}/invoice"`);
    expect(placed.html).toContain('data-main-button="Pay $50.00"');
    await eventually(async () => expect(await statusOf(browser, id)).toBe('awaiting_payment'), 20_000, 200);

    const res = await invoiceOf(browser, id, csrf, '?lang=ru');
    expect(res.status).toBe(200);
    const { slug, invoiceLink } = JSON.parse(res.html) as { slug: string; invoiceLink: string };
    expect(invoiceLink).toBe(`https://t.me/$${slug}`);
    expect(sandbox.world.invoiceLinks.get(slug)).toMatchObject({
      title: `Заказ №${id}`,
      payload: `order:${id}`,
      currency: 'USD',
      totalAmount: 5_000,
      providerToken: PROVIDER_TOKEN,
    });
    // Not anyone else's to pay.
    const stranger = await miniApp();
    const foreign = await json(stranger.browser, `/orders/${id}/invoice`, { 'X-CSRF-Token': stranger.csrf });
    expect(foreign.status).toBe(404);

    // Telegram takes the money and the bot records it: the order is paid, and Pay is no more.
    const { accessToken } = (await (
      await requestJson(
        web.shop.apps.auth,
        'POST',
        '/auth/telegram',
        { telegramId },
        { 'X-Service-Token': web.shop.auth.config.BOT_SERVICE_TOKEN },
      )
    ).json()) as { accessToken: string };
    const recorded = await requestJson(
      web.shop.apps.payment,
      'POST',
      '/payments/telegram',
      {
        invoicePayload: `order:${id}`,
        currency: 'USD',
        totalAmount: 5_000,
        telegramPaymentChargeId: `tg-${crypto.randomUUID()}`,
        providerPaymentChargeId: `pr-${crypto.randomUUID()}`,
        telegramUserId: telegramId,
      },
      { Authorization: `Bearer ${accessToken}`, 'X-Service-Token': web.shop.auth.config.BOT_SERVICE_TOKEN },
    );
    expect(recorded.status).toBe(201);
    await eventually(async () => expect(await statusOf(browser, id)).toBe('paid'), 20_000, 200);
    const late = await json(browser, `/orders/${id}/invoice`, { 'X-CSRF-Token': csrf });
    expect(late.status).toBe(409);
    expect(JSON.parse(late.html)).toEqual({
      // In Russian: the language asked for above is remembered.
      error: { code: 'not_awaiting_payment', message: 'Этот заказ больше нельзя оплатить.' },
    });
    expect((await browser.get(`/orders/${id}`)).html).not.toContain('data-pay');
  }, 60_000);

  it('says so in a sentence when Telegram cannot make the invoice link', async () => {
    const { browser, csrf } = await miniApp();
    await browser.post(`/cart/items/${teapot}`, { op: 'add', quantity: '1', csrf });
    const id = orderIdOf((await checkOut(browser, csrf)).url);
    await eventually(async () => expect(await statusOf(browser, id)).toBe('awaiting_payment'), 20_000, 200);
    const down = await web.shop.whileDown('payment', () =>
      json(browser, `/orders/${id}/invoice`, { 'X-CSRF-Token': csrf }),
    );
    expect(down.status).toBe(503);
    expect(JSON.parse(down.html)).toEqual({
      error: {
        code: 'telegram_unavailable',
        message: 'Telegram could not make the invoice just now. Please try again in a moment.',
      },
    });
  }, 60_000);

  it('tells a browser that Stars are paid only inside Telegram, in English and Russian, while the Mini App orders them', async () => {
    const browser = web.browser();
    await browser.post('/register', {
      email: uniqueEmail('stars'),
      password: 'a long enough password',
      next: '/',
    });
    const cart = await browser.post(`/cart/items/${stickers}`, { op: 'add', quantity: '3' });
    expect(cart.html).toContain('Items priced in Telegram Stars can be paid only inside Telegram.');
    expect(cart.html).not.toContain('href="/checkout"');
    expect((await browser.get('/checkout')).url).toBe('/cart');
    expect((await browser.get('/cart?lang=ru')).html).toContain(
      'Товары за Telegram Stars можно оплатить только внутри Telegram.',
    );
    // A checkout form sent all the same: refused with the same sentence, nothing ordered.
    const forced = await browser.post('/checkout', {
      idempotencyKey: crypto.randomUUID(),
      expectedTotalCents: '120',
      ...delivery,
    });
    expect(forced.status).toBe(409);
    expect(forced.html).toContain('Товары за Telegram Stars можно оплатить только внутри Telegram.');
    expect((await browser.get('/orders')).html).toContain('У вас пока нет заказов.');

    const { browser: inTelegram, csrf } = await miniApp();
    const miniCart = await inTelegram.post(`/cart/items/${stickers}`, { op: 'add', quantity: '3', csrf });
    expect(miniCart.html).toContain('href="/checkout"');
    const id = orderIdOf((await checkOut(inTelegram, csrf)).url);
    await eventually(
      async () => expect(await statusOf(inTelegram, id)).toBe('awaiting_payment'),
      20_000,
      200,
    );
    const res = await invoiceOf(inTelegram, id, csrf);
    const { slug } = JSON.parse(res.html) as { slug: string };
    expect(sandbox.world.invoiceLinks.get(slug)).toMatchObject({
      currency: 'XTR',
      totalAmount: 120,
      providerToken: '',
    });
  }, 60_000);
});

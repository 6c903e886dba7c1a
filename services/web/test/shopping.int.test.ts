import { initDataKey, signInitData } from '@shop/shared';
import { eventually, requestJson, uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenField, startShopWebForTest, type ShopWeb, type TestBrowser } from './start.ts';

let web: ShopWeb;
let teapot: number;
let cups: number;
beforeAll(async () => {
  web = await startShopWebForTest('web_shopping');
  teapot = await web.addProduct({
    name: { en: 'Clay teapot', ru: 'Глиняный чайник' },
    priceCents: 2_500,
    stock: 5,
  });
  cups = await web.addProduct({ name: { en: 'Tea cups', ru: 'Чашки' }, priceCents: 700, stock: 10 });
}, 60_000);
afterAll(() => web.close());

const password = 'a long enough password';

/** A browser that has registered (and so signed in) a new account. */
async function registered(): Promise<{ browser: TestBrowser; email: string }> {
  const browser = web.browser();
  const email = uniqueEmail('web');
  const page = await browser.post('/register', { email, password, next: '/account' });
  expect(page.url).toBe('/account');
  return { browser, email };
}

/** The order page's JSON status, as its script asks for it. */
const statusOf = async (browser: TestBrowser, id: string) =>
  JSON.parse((await browser.get(`/orders/${id}/status`)).html) as { status: string; label: string };

describe('a buyer in a browser', () => {
  it('registers, signs in, fills the cart, checks out once on a double submit, and sees the order paid', async () => {
    const browser = web.browser();
    // Pages of an account send a stranger to sign in, and back.
    const cartFirst = await browser.get('/cart');
    expect(cartFirst.url).toBe('/signin?next=%2Fcart');
    expect(cartFirst.html).toContain('<form class="stack" method="post" action="/signin">');

    const email = uniqueEmail('buyer');
    const signUp = await browser.post('/register', { email, password, next: '/cart' });
    expect(signUp.url).toBe('/cart');
    expect(signUp.html).toContain('Your cart is empty.');
    // Signed out, then in again by e-mail and password.
    await browser.post('/signout', {});
    expect((await browser.get('/cart')).url).toMatch(/^\/signin/);
    const wrong = await browser.post('/signin', { email, password: 'not it', next: '/cart' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('The e-mail or the password is wrong.');
    expect((await browser.post('/signin', { email, password, next: '/cart' })).url).toBe('/cart');

    const product = await browser.get(`/products/${teapot}`);
    expect(product.html).toContain(`action="/cart/items/${teapot}"`);
    expect(product.html).toContain('Add to cart');
    await browser.post(`/cart/items/${teapot}`, { op: 'add', quantity: '1' });
    await browser.post(`/cart/items/${teapot}`, { op: 'add', quantity: '1' });
    const cart = await browser.post(`/cart/items/${cups}`, { op: 'add', quantity: '3' });
    expect(cart.url).toBe('/cart');
    expect(cart.html).toContain('Clay teapot');
    expect(cart.html).toContain('Tea cups');
    expect(cart.html).toMatch(new RegExp(`action="/cart/items/${teapot}">.*?value="2"`, 's'));
    expect(cart.html).toContain('$71.00'); // 2 × $25 + 3 × $7

    const checkout = await browser.get('/checkout');
    expect(checkout.status).toBe(200);
    expect(hiddenField(checkout.html, 'expectedTotalCents')).toBe('7100');
    const form = {
      idempotencyKey: hiddenField(checkout.html, 'idempotencyKey'),
      expectedTotalCents: '7100',
      name: 'Ada Lovelace',
      phone: '+44 20 7946 0000',
      address: '12 Tea Street, London',
    };
    // The button pressed twice: two POSTs of one form.
    const [first, second] = await Promise.all([
      browser.post('/checkout', form),
      browser.post('/checkout', form),
    ]);
    expect(first.url).toMatch(/^\/orders\/\d+$/);
    expect(second.url).toBe(first.url);
    const id = first.url.split('/')[2]!;
    const list = await browser.get('/orders');
    expect(list.html.match(/href="\/orders\/\d+"/g)).toEqual([`href="/orders/${id}"`]);
    expect(first.html).toContain(`Order #${id}`);
    expect(first.html).toContain('12 Tea Street, London');
    expect(first.html).toContain('<script src="/assets/order-status.js" defer=""></script>');
    expect(first.html).toContain(`data-poll="/orders/${id}/status"`);
    // The simulated provider charges the reserved order: the status the page's script polls turns paid.
    await eventually(async () => expect((await statusOf(browser, id)).status).toBe('paid'), 20_000, 200);
    expect(await statusOf(browser, id)).toEqual({ id: Number(id), status: 'paid', label: 'Paid' });
    expect((await browser.get(`/orders/${id}`)).html).toMatch(/data-status="paid"[^>]*>Paid</);
    expect((await browser.get('/cart')).html).toContain('Your cart is empty.');

    // The next checkout offers the delivery details remembered from this order.
    await browser.post(`/cart/items/${cups}`, { op: 'add', quantity: '1' });
    const next = await browser.get('/checkout');
    expect(next.html).toContain('value="Ada Lovelace"');
    expect(next.html).toContain('12 Tea Street, London</textarea>');
    expect(hiddenField(next.html, 'idempotencyKey')).not.toBe(form.idempotencyKey);

    // Someone else's order is no page of theirs.
    const other = (await registered()).browser;
    const foreign = await other.get(`/orders/${id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.html).not.toContain('Tea Street');
    expect((await other.get(`/orders/${id}/status`)).status).toBe(404);
  }, 60_000);

  it('is told in a sentence when the total changed since the checkout page was shown, and nothing is ordered', async () => {
    const { browser } = await registered();
    await browser.post(`/cart/items/${cups}`, { op: 'add', quantity: '1' });
    const checkout = await browser.get('/checkout');
    const refused = await browser.post('/checkout', {
      idempotencyKey: hiddenField(checkout.html, 'idempotencyKey'),
      expectedTotalCents: '1',
      name: 'Ada',
      phone: '+44 20 7946 0000',
      address: 'Somewhere',
    });
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('Prices have changed since you opened this page.');
    expect((await browser.get('/orders')).html).toContain('You have no orders yet.');
    const bad = await browser.post('/checkout', {
      ...Object.fromEntries([]),
      expectedTotalCents: '700',
      idempotencyKey: 'k1',
      name: '',
      phone: '12',
      address: '',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Please fill in a name, a phone number (7–15 digits) and an address.');
  });

  it("tells order's refusals as sentences: too few in stock, mixed currencies, an empty cart", async () => {
    const scarce = await web.addProduct({ name: 'Rare bowl', priceCents: 1_000, stock: 1 });
    const euro = await web.addProduct({ name: 'Euro mug', priceCents: 800, currency: 'EUR', stock: 5 });
    const { browser } = await registered();
    const delivery = { name: 'Ada', phone: '+44 20 7946 0000', address: 'Somewhere' };
    const checkOut = async () => {
      const page = await browser.get('/checkout');
      return browser.post('/checkout', {
        idempotencyKey: hiddenField(page.html, 'idempotencyKey'),
        expectedTotalCents: hiddenField(page.html, 'expectedTotalCents'),
        ...delivery,
      });
    };

    // More than the stock: the cart takes it (stock changes by the minute), the order does not.
    const cart = await browser.post(`/cart/items/${scarce}`, { op: 'set', quantity: '3' });
    expect(cart.html).toContain('Not available in this quantity');
    const short = await checkOut();
    expect(short.status).toBe(409);
    expect(short.html).toContain(
      'Some items are no longer in stock in this quantity. Please change your cart.',
    );

    await browser.post(`/cart/items/${scarce}`, { op: 'set', quantity: '1' });
    await browser.post(`/cart/items/${euro}`, { op: 'add', quantity: '1' });
    const mixed = await checkOut();
    expect(mixed.status).toBe(409);
    expect(mixed.html).toContain('Items priced in different currencies cannot be ordered together.');

    await browser.post(`/cart/items/${scarce}`, { op: 'remove' });
    const emptied = await browser.post(`/cart/items/${euro}`, { op: 'remove' });
    expect(emptied.html).toContain('Your cart is empty.');
    const empty = await browser.post('/checkout', {
      idempotencyKey: 'k-empty',
      expectedTotalCents: '0',
      ...delivery,
    });
    expect(empty.status).toBe(409);
    expect(empty.html).toContain('Your cart is empty.');
    expect((await browser.get('/orders')).html).toContain('You have no orders yet.');
  });

  it('refuses a registration with a taken e-mail in a sentence', async () => {
    const { email } = await registered();
    const again = await web.browser().post('/register', { email, password, next: '/' });
    expect(again.status).toBe(400);
    expect(again.html).toContain('An account with this e-mail already exists. Sign in instead.');
  });
});

describe('the session', () => {
  it('is an HttpOnly, SameSite=Strict cookie holding a random id only', async () => {
    const { browser } = await registered();
    const cookie = browser.setCookies.find((line) => line.startsWith('session='));
    expect(cookie).toMatch(/^session=[\w-]{43}; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Strict$/);
    // No token in any page either.
    const page = await browser.get('/account');
    expect(page.html).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });

  it('is Secure and __Host- in production', async () => {
    const production = await web.another({ NODE_ENV: 'production' });
    const browser = production.browser();
    const page = await browser.post('/register', { email: uniqueEmail('prod'), password, next: '/cart' });
    expect(page.url).toBe('/cart');
    expect(browser.setCookies.find((line) => line.startsWith('__Host-session='))).toMatch(
      /^__Host-session=[\w-]{43}; Max-Age=2592000; Path=\/; HttpOnly; Secure; SameSite=Strict$/,
    );
  });

  it("refreshes auth's access token when it runs out, once for requests arriving together", async () => {
    const { browser } = await registered();
    const id = browser.cookies.get('session') ?? '';
    const before = await web.sessionStore.read(id);
    expect(before).toBeDefined();
    // The access token has run out (as it does after ACCESS_TOKEN_TTL_SECONDS).
    await web.sessionStore.write(id, { ...before!, accessExpiresAt: Date.now() - 1 });
    const pages = await Promise.all([browser.get('/cart'), browser.get('/orders'), browser.get('/account')]);
    expect(pages.map((page) => page.url)).toEqual(['/cart', '/orders', '/account']);
    const after = await web.sessionStore.read(id);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(after?.accessExpiresAt).toBeGreaterThan(Date.now() + 60_000);
    expect((await browser.get('/cart')).url).toBe('/cart');
  });

  it('is refreshed once when requests arrive at two storefronts (replicas) together', async () => {
    const { browser } = await registered();
    const replica = await web.another({});
    const there = replica.browser();
    for (const [name, value] of browser.cookies) there.cookies.set(name, value);
    const id = browser.cookies.get('session') ?? '';
    const before = await web.sessionStore.read(id);
    await web.sessionStore.write(id, { ...before!, accessExpiresAt: Date.now() - 1 });
    const pages = await Promise.all([browser.get('/cart'), there.get('/cart'), there.get('/orders')]);
    expect(pages.map((page) => page.url)).toEqual(['/cart', '/cart', '/orders']);
    expect((await browser.get('/account')).url).toBe('/account');
  });

  it('is useless once signed out', async () => {
    const { browser } = await registered();
    const stolen = new Map(browser.cookies);
    await browser.post('/signout', {});
    expect(browser.cookies.has('session')).toBe(false);
    const replay = web.browser();
    for (const [name, value] of stolen) replay.cookies.set(name, value);
    expect((await replay.get('/cart')).url).toBe('/signin?next=%2Fcart');
    const status = await replay.get('/orders/1/status');
    expect(status.status).toBe(401);
    expect(JSON.parse(status.html)).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('refuses a forged cross-site POST with 403 and changes nothing', async () => {
    const { browser } = await registered();
    await browser.post(`/cart/items/${cups}`, { op: 'add', quantity: '1' });
    for (const origin of ['https://evil.example', 'null', null]) {
      const forged = await browser.post(`/cart/items/${teapot}`, { op: 'add', quantity: '4' }, origin);
      expect(forged.status, String(origin)).toBe(403);
      expect(forged.html).toContain('This form was sent from another site, so nothing was done.');
      const out = await browser.post('/signout', {}, origin);
      expect(out.status).toBe(403);
    }
    // A form another site's sandboxed frame sends: Origin null, and the browser says it is cross-site.
    const framed = await browser.request(`/cart/items/${teapot}`, {
      method: 'POST',
      body: new URLSearchParams({ op: 'add', quantity: '4' }),
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'null',
        'Sec-Fetch-Site': 'cross-site',
      },
    });
    expect(framed.status).toBe(403);
    const json = await browser.request('/session/telegram', {
      method: 'POST',
      body: JSON.stringify({ initData: 'x' }),
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
    });
    expect(json.status).toBe(403);
    expect(JSON.parse(json.html)).toEqual({
      error: { code: 'forbidden', message: 'Cross-site requests are refused' },
    });
    // A form of this site's own page as Chromium sends it under `Referrer-Policy: no-referrer`.
    const own = await browser.request(`/cart/items/${cups}`, {
      method: 'POST',
      body: new URLSearchParams({ op: 'set', quantity: '2' }),
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'null',
        'Sec-Fetch-Site': 'same-origin',
      },
    });
    expect(own.url).toBe('/cart');
    expect(own.html).not.toContain('Clay teapot');
    expect(own.html).toMatch(new RegExp(`action="/cart/items/${cups}">.*?value="2"`, 's'));
    // Still signed in.
    expect((await browser.get('/account')).url).toBe('/account');
  });

  it('refuses Mini App initData that Telegram did not sign, with the error JSON', async () => {
    const res = await web.browser().request('/session/telegram', {
      method: 'POST',
      body: JSON.stringify({ initData: 'user=%7B%22id%22%3A1%7D&auth_date=1&hash=00' }),
      headers: { 'Content-Type': 'application/json', Origin: web.url },
    });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.html)).toMatchObject({ error: { code: 'invalid_init_data' } });
    expect(res.res.headers.getSetCookie()).toEqual([]);
  });

  it("signs a Mini App in by Telegram's initData, to the account and cart the bot has for that user", async () => {
    const telegramId = 4_000_000_000 + Math.floor(Math.random() * 1e9);
    // The bot signs the user in and puts a teapot in their cart.
    const bot = await requestJson(
      web.shop.apps.auth,
      'POST',
      '/auth/telegram',
      { telegramId },
      { 'X-Service-Token': web.shop.auth.config.BOT_SERVICE_TOKEN },
    );
    const { accessToken } = (await bot.json()) as { accessToken: string };
    const put = await requestJson(
      web.shop.apps.order,
      'PUT',
      `/cart/items/${teapot}`,
      { quantity: 2 },
      {
        Authorization: `Bearer ${accessToken}`,
      },
    );
    expect(put.status).toBe(200);

    const browser = web.browser();
    const initData = signInitData(
      {
        user: JSON.stringify({ id: telegramId, first_name: 'Ann' }),
        auth_date: String(Math.floor(Date.now() / 1000)),
      },
      initDataKey(web.botToken),
    );
    const res = await browser.request('/session/telegram', {
      method: 'POST',
      body: JSON.stringify({ initData }),
      headers: { 'Content-Type': 'application/json', Origin: web.url },
    });
    expect(res.status).toBe(204);
    const cart = await browser.get('/cart');
    expect(cart.url).toBe('/cart');
    expect(cart.html).toContain('Clay teapot');
    expect(cart.html).toMatch(new RegExp(`action="/cart/items/${teapot}">.*?value="2"`, 's'));
  });
});

describe('in Russian', () => {
  it('shows the sign-in, the cart, the checkout and its refusals in Russian', async () => {
    const browser = web.browser();
    await browser.get('/?lang=ru');
    const signIn = await browser.get('/signin');
    expect(signIn.html).toContain('<html lang="ru">');
    expect(signIn.html).toContain('Эл. почта');
    const email = uniqueEmail('ru');
    await browser.post('/register', { email, password, next: '/' });
    const wrong = await web.browser().post('/signin', { email, password: 'nope', next: '/' });
    expect(wrong.html).toContain('The e-mail or the password is wrong.'); // a new browser: English
    const wrongRu = await browser.post('/signin', { email, password: 'nope', next: '/' });
    expect(wrongRu.html).toContain('Неверная почта или пароль.');
    await browser.post('/signin', { email, password, next: '/' });
    const cart = await browser.post(`/cart/items/${teapot}`, { op: 'add', quantity: '1' });
    expect(cart.html).toContain('Глиняный чайник');
    expect(cart.html).toContain('Оформить заказ');
    const checkout = await browser.get('/checkout');
    expect(checkout.html).toContain('Доставка');
    const refused = await browser.post('/checkout', {
      idempotencyKey: hiddenField(checkout.html, 'idempotencyKey'),
      expectedTotalCents: '3',
      name: 'Анна',
      phone: '+7 900 000-00-00',
      address: 'Москва',
    });
    expect(refused.html).toContain('Цены изменились, пока страница была открыта.');
    const account = await browser.get('/account');
    expect(account.html).toContain('Выйти');
    const english = await browser.post('/account/language', { lang: 'en' });
    expect(english.html).toContain('Sign out');
  });
});

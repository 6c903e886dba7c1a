/**
 * The Mini App bridge (public/mini-app.js) in headless Chromium, inside a test page that plays
 * Telegram's web client: it frames the storefront from another site (the storefront at
 * `localhost`, the client at `127.0.0.1`, as web.telegram.org frames a shop), passes the launch
 * parameters in the hash, records every event the bridge posts (`{eventType, eventData}` to the
 * parent) and sends it Telegram's events. The whole shop runs in-process, with the sandbox making
 * the invoice links. Screenshots go to test-results/mini-app-*.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { initDataKey, signInitData } from '@shop/shared';
import { eventually, requestJson, serveForTest, testLogger, type ServedForTest } from '@shop/testkit';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contrast } from '../../../test/support/browser.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/index.ts';
import { startShopWebForTest, type ShopWeb } from './start.ts';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const botToken = `${100_000_000 + Math.floor(Math.random() * 1e8)}:web-bridge-${crypto.randomUUID()}`;
const DARK = {
  bg_color: '#1c242f',
  text_color: '#e8eef5',
  hint_color: '#8797a8',
  link_color: '#6ab2f2',
  button_color: '#5288c1',
  button_text_color: '#ffffff',
  secondary_bg_color: '#232e3c',
};
const LIGHT = {
  bg_color: '#ffffff',
  text_color: '#000000',
  hint_color: '#707579',
  link_color: '#3390ec',
  button_color: '#3390ec',
  button_text_color: '#ffffff',
  secondary_bg_color: '#f4f4f5',
};

/**
 * Telegram's web client, played by a page of another site: frames `?app=`, records the events the
 * app posts, sends it events, and answers `web_app_request_theme` with `theme_changed` as Telegram does.
 */
const CLIENT_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Telegram</title></head>
<body style="margin:0;background:#888">
<iframe id="app" style="width:390px;height:780px;border:0"></iframe>
<script>
  const app = document.getElementById('app');
  const launched = new URLSearchParams(location.search).get('app');
  window.events = [];
  window.theme = JSON.parse(new URLSearchParams(new URL(launched).hash.slice(1)).get('tgWebAppThemeParams'));
  window.send = (eventType, eventData) =>
    app.contentWindow.postMessage(JSON.stringify({ eventType, eventData }), '*');
  window.addEventListener('message', (event) => {
    if (event.source !== app.contentWindow || typeof event.data !== 'string') return;
    const posted = JSON.parse(event.data);
    window.events.push(posted);
    if (posted.eventType === 'web_app_request_theme') window.send('theme_changed', { theme_params: window.theme });
  });
  window.setTheme = (theme) => {
    window.theme = theme;
    window.send('theme_changed', { theme_params: theme });
  };
  app.src = launched;
</script></body></html>`;

interface PostedEvent {
  eventType: string;
  eventData?: Record<string, unknown>;
}

// What the functions run in the browser reach there (this repository's TypeScript has no DOM library).
interface DomElement {
  dataset: Record<string, string | undefined>;
}
declare const document: { body: DomElement; documentElement: DomElement };
declare const window: {
  events: PostedEvent[];
  send(type: string, data: unknown): void;
  setTheme(theme: Record<string, string>): void;
};
declare function getComputedStyle(element: DomElement): { backgroundColor: string; color: string };

// Undefined until beforeAll has started them (afterAll closes whatever it got to).
let sandbox: RunningSandbox | undefined;
let web: ShopWeb | undefined;
let client: ServedForTest | undefined;
let browser: Browser | undefined;
let shopOrigin: string;
let teapot: number;
beforeAll(async () => {
  if (!existsSync(executablePath))
    throw new Error(
      `No Chromium at ${executablePath}: run scripts/install-browser.sh (or set CHROMIUM_PATH)`,
    );
  sandbox = await startSandbox({ botToken, logger: testLogger() });
  web = await startShopWebForTest('web_bridge', {
    botToken,
    paymentEnv: {
      TELEGRAM_PAYMENT_PROVIDER_TOKEN: '284685063:TEST:web-bridge',
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_API_ROOT: sandbox.url,
    },
  });
  // Another site than the client's: the storefront's cookies are third-party in its frame.
  shopOrigin = web.url.replace('127.0.0.1', 'localhost');
  client = await serveForTest({
    fetch: () => new Response(CLIENT_PAGE, { headers: { 'Content-Type': 'text/html; charset=utf-8' } }),
  });
  teapot = await web.addProduct({ name: 'Clay teapot', priceCents: 2_500, stock: 5 });
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await client?.close();
  await web?.close();
  await sandbox?.close();
});

mkdirSync('test-results', { recursive: true });
const snap = (page: Page, name: string) => page.screenshot({ path: `test-results/mini-app-${name}.png` });

/** The launch hash Telegram gives a Mini App: signed initData, version, platform, theme. */
function launchHash(telegramId: number, theme: Record<string, string>) {
  const initData = signInitData(
    {
      user: JSON.stringify({ id: telegramId, first_name: 'Vera', language_code: 'en' }),
      auth_date: String(Math.floor(Date.now() / 1000)),
      query_id: `AAH${crypto.randomUUID().slice(0, 8)}`,
    },
    initDataKey(botToken),
  );
  return new URLSearchParams({
    tgWebAppData: initData,
    tgWebAppVersion: '8.0',
    tgWebAppPlatform: 'weba',
    tgWebAppThemeParams: JSON.stringify(theme),
  }).toString();
}

/** Telegram's client with the storefront open at `path`, launched for a new Telegram user. */
async function launch(path: string, theme: Record<string, string> = DARK) {
  const page = await browser!.newPage({ viewport: { width: 390, height: 780 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  const telegramId = 6_000_000_000 + Math.floor(Math.random() * 1e9);
  const app = `${shopOrigin}${path}#${launchHash(telegramId, theme)}`;
  await page.goto(`${client!.url}/?${new URLSearchParams({ app }).toString()}`);
  const frame = await eventually(() => {
    const found = page.frames().find((one) => one.url().startsWith(shopOrigin));
    if (!found) throw new Error('the storefront is not framed yet');
    return found;
  });
  const events = () => page.evaluate(() => window.events);
  /** The latest event of `type` posted so far. */
  const last = async (type: string) => (await events()).findLast((event) => event.eventType === type);
  /** Waits until the latest `type` event matches `expected`. */
  const posted = (type: string, expected: Record<string, unknown>) =>
    eventually(async () => expect((await last(type))?.eventData).toMatchObject(expected), 15_000, 50);
  const send = (eventType: string, eventData?: unknown) =>
    page.evaluate(([type, data]) => window.send(type, data), [eventType, eventData] as const);
  const setTheme = (theme: Record<string, string>) => page.evaluate((next) => window.setTheme(next), theme);
  return { page, frame, telegramId, errors, events, last, posted, send, setTheme };
}

const pathOf = (frame: Frame) => new URL(frame.url()).pathname;
const untilPath = (frame: Frame, path: string | RegExp) =>
  eventually(() => expect(pathOf(frame)).toMatch(path), 15_000, 50);

const colours = (frame: Frame) =>
  frame.evaluate(() => {
    const style = getComputedStyle(document.body);
    return {
      bg: style.backgroundColor,
      text: style.color,
      scheme: document.documentElement.dataset.tgScheme,
    };
  });

describe('the storefront inside Telegram', () => {
  it('signs in with initData, takes the theme, and follows theme_changed, readable in dark and light', async () => {
    const tg = await launch('/');
    // Signed in as the launch's user across the cross-site frame (the Mini App's own cookie), after one reload.
    await eventually(
      async () =>
        expect(await tg.frame.locator('body').getAttribute('data-telegram-user')).toBe(String(tg.telegramId)),
      15_000,
      50,
    );
    expect(tg.frame.url()).not.toContain('tgWebAppData');
    const types = (await tg.events()).map((event) => event.eventType);
    for (const type of ['iframe_ready', 'web_app_ready', 'web_app_expand', 'web_app_request_theme'])
      expect(types).toContain(type);
    await tg.posted('web_app_setup_back_button', { is_visible: false });
    await tg.posted('web_app_setup_main_button', { is_visible: false });
    expect(
      (await tg.events()).find((event) => event.eventType === 'web_app_ready')?.eventData,
    ).toBeUndefined();

    expect(await colours(tg.frame)).toEqual({
      bg: 'rgb(28, 36, 47)',
      text: 'rgb(232, 238, 245)',
      scheme: 'dark',
    });
    let shown = await colours(tg.frame);
    expect(contrast(shown.bg, shown.text)).toBeGreaterThanOrEqual(4.5);
    await snap(tg.page, '01-catalog-dark');

    await tg.setTheme(LIGHT);
    await eventually(async () => expect((await colours(tg.frame)).bg).toBe('rgb(255, 255, 255)'), 5_000, 50);
    shown = await colours(tg.frame);
    expect(shown).toMatchObject({ text: 'rgb(0, 0, 0)', scheme: 'light' });
    // A theme that gives only its background: the scheme it makes fills in readable text.
    await tg.setTheme({ bg_color: '#000000' });
    await eventually(async () => expect((await colours(tg.frame)).scheme).toBe('dark'), 5_000, 50);
    shown = await colours(tg.frame);
    expect(contrast(shown.bg, shown.text)).toBeGreaterThanOrEqual(4.5);
    // The next page starts with the latest theme.
    await tg.frame.goto(`${shopOrigin}/products/${teapot}`);
    expect((await colours(tg.frame)).bg).toBe('rgb(0, 0, 0)');
    expect(tg.errors).toEqual([]);
    await tg.page.close();
  }, 60_000);

  it('shops with the Main and Back Buttons, pays with openInvoice, and shows the order paid', async () => {
    const tg = await launch(`/products/${teapot}`);
    await eventually(
      async () =>
        expect(await tg.frame.locator('body').getAttribute('data-telegram-user')).toBe(String(tg.telegramId)),
      15_000,
      50,
    );
    // The product page: Back up to the catalog, and Add to cart in Telegram's button instead of the page's.
    await tg.posted('web_app_setup_back_button', { is_visible: true });
    await tg.posted('web_app_setup_main_button', {
      is_visible: true,
      is_active: true,
      text: 'Add to cart · $25.00',
      color: DARK.button_color,
      text_color: DARK.button_text_color,
    });
    expect(await tg.frame.getByRole('button', { name: 'Add to cart' }).isHidden()).toBe(true);
    await snap(tg.page, '02-product');

    await tg.send('main_button_pressed');
    await untilPath(tg.frame, '/cart');
    expect(await tg.frame.locator('.total').textContent()).toBe('Total: $25.00');
    await tg.posted('web_app_setup_main_button', { is_visible: true, text: 'Check out · $25.00' });
    await snap(tg.page, '03-cart');

    // Back goes back to the product, then the cart again through the page's own link.
    await tg.send('back_button_pressed');
    await untilPath(tg.frame, `/products/${teapot}`);
    await tg.frame.getByRole('link', { name: 'Cart' }).click();
    await untilPath(tg.frame, '/cart');
    await tg.posted('web_app_setup_main_button', { text: 'Check out · $25.00', is_progress_visible: false });

    await tg.send('main_button_pressed');
    await untilPath(tg.frame, '/checkout');
    await tg.posted('web_app_setup_main_button', { is_visible: true, text: 'Place the order for $25.00' });
    await tg.frame.getByLabel('Name').fill('Vera');
    await tg.frame.getByLabel('Phone').fill('+7 900 123-45-67');
    await tg.frame.getByLabel('Address').fill('1 Garden Ring, Moscow');
    await snap(tg.page, '04-checkout');
    await tg.send('main_button_pressed');
    await untilPath(tg.frame, /^\/orders\/\d+$/);
    const orderId = Number(pathOf(tg.frame).split('/')[2]);

    // Pay, once the order awaits payment: the invoice link's slug, opened by Telegram.
    await tg.posted('web_app_setup_main_button', { is_visible: true, is_active: true, text: 'Pay $25.00' });
    await snap(tg.page, '05-order');
    await tg.send('main_button_pressed');
    const firstSlug = await eventually(async () => {
      const opened = await tg.last('web_app_open_invoice');
      if (!opened) throw new Error('no invoice opened yet');
      return String(opened.eventData?.slug);
    });
    expect(sandbox!.world.invoiceLinks.get(firstSlug)).toMatchObject({
      payload: `order:${orderId}`,
      totalAmount: 2_500,
    });
    await tg.posted('web_app_setup_main_button', { is_active: false, is_progress_visible: true });

    // Closed without paying: said so, and Pay works again.
    await tg.send('invoice_closed', { slug: firstSlug, status: 'cancelled' });
    await eventually(async () =>
      expect(await tg.frame.locator('[data-pay-outcome]').textContent()).toBe(
        'The invoice was closed without paying.',
      ),
    );
    await tg.posted('web_app_setup_main_button', { is_active: true, is_progress_visible: false });
    // An invoice_closed of another invoice changes nothing.
    await tg.send('invoice_closed', { slug: 'not-ours', status: 'paid' });

    await tg.send('main_button_pressed');
    const slug = await eventually(async () => {
      const opened = (await tg.events()).filter((event) => event.eventType === 'web_app_open_invoice');
      if (opened.length < 2) throw new Error('no second invoice yet');
      return String(opened.at(-1)?.eventData?.slug);
    });
    // Telegram takes the money and the bot records it, then the invoice closes as paid.
    await recordPayment(tg.telegramId, orderId);
    await tg.send('invoice_closed', { slug, status: 'paid' });
    await eventually(async () =>
      expect(await tg.frame.locator('[data-pay-outcome]').textContent()).toBe(
        'Payment received. Confirming it…',
      ),
    );
    await eventually(
      async () => expect(await tg.frame.locator('[data-poll]').textContent()).toBe('Paid'),
      20_000,
      100,
    );
    // Paid: the Main Button takes the buyer back to the chat, where the receipt is.
    await tg.posted('web_app_setup_main_button', {
      is_visible: true,
      is_active: true,
      text: 'Back to the chat',
    });
    await snap(tg.page, '06-paid');
    await tg.send('main_button_pressed');
    await eventually(async () => expect(await tg.last('web_app_close')).toBeDefined());
    expect(tg.errors).toEqual([]);
    await tg.page.close();
  }, 90_000);

  it('leaves a plain browser alone: no bridge, the page’s own buttons', async () => {
    const page = await browser!.newPage({ viewport: { width: 390, height: 780 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${shopOrigin}/products/${teapot}`);
    expect(await page.getByRole('button', { name: 'Add to cart' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.dataset.tgScheme)).toBeUndefined();
    expect(await page.evaluate(() => 'Telegram' in window)).toBe(false);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL(/\/signin\?next=/);
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);
});

/** What the bot does with Telegram's successful_payment: records it with the payer's token. */
async function recordPayment(telegramId: number, orderId: number) {
  const serviceToken = web!.shop.auth.config.BOT_SERVICE_TOKEN;
  const signIn = await requestJson(
    web!.shop.apps.auth,
    'POST',
    '/auth/telegram',
    { telegramId },
    {
      'X-Service-Token': serviceToken,
    },
  );
  const { accessToken } = (await signIn.json()) as { accessToken: string };
  const recorded = await requestJson(
    web!.shop.apps.payment,
    'POST',
    '/payments/telegram',
    {
      invoicePayload: `order:${orderId}`,
      currency: 'USD',
      totalAmount: 2_500,
      telegramPaymentChargeId: `tg-${crypto.randomUUID()}`,
      providerPaymentChargeId: `pr-${crypto.randomUUID()}`,
      telegramUserId: telegramId,
    },
    { Authorization: `Bearer ${accessToken}`, 'X-Service-Token': serviceToken },
  );
  expect(recorded.status).toBe(201);
}

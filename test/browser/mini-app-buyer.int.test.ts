/**
 * Issue #19's Mini App buyer, as a person does it with `npm start`: headless Chromium opens the
 * sandbox's web chat, says /start, and opens the shop from the bot (the menu button, and "Open in
 * shop" on a product card). The storefront opens in the panel beside the chat, signed in by
 * Telegram's initData alone; the buyer shops with Telegram's Main Button, pays the invoice in the
 * panel, and sees the order paid in the Mini App (no reload) and in the chat. Then the same on a
 * phone in Telegram's dark theme: every page readable, nothing wider than the screen. The whole
 * shop runs as processes, with a payment provider connected. Screenshots of each step go to
 * test-results/mini-app-buyer-*.png and test-results/mini-app-phone-*.png.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContextOptions, Frame, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeSandboxProviderToken } from '../../scripts/lib/start-env.ts';
import { THEMES } from '../../services/sandbox/src/mini-app/themes.ts';
import {
  launchChromium,
  pageErrors,
  pageWidths,
  shownColours,
  untilPhotosShown,
} from '../support/browser.ts';
import { startShop, type Shop } from '../support/shop.ts';

const SLOW = 30_000;

// Undefined when beforeAll failed half way; afterAll still closes what did start.
let shop: Shop | undefined;
let browser: Browser | undefined;
beforeAll(async () => {
  browser = await launchChromium();
  shop = await startShop({
    suite: 'mini_app_buyer',
    publicCatalog: true,
    miniApp: true,
    env: { TELEGRAM_PAYMENT_PROVIDER_TOKEN: makeSandboxProviderToken() },
  });
  // Orders wait for the catalog's reservation: every part connected to RabbitMQ before the stories.
  await shop.settled();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

mkdirSync('test-results', { recursive: true });

/** Numbered screenshots of one story: test-results/<story>-01-<name>.png, … */
function snaps(story: string) {
  let step = 0;
  return (page: Page, name: string) =>
    page.screenshot({ path: `test-results/${story}-${String(++step).padStart(2, '0')}-${name}.png` });
}

interface Chat {
  page: Page;
  errors: string[];
  userId: number;
  mainButton: Locator;
}

/** The web chat at localhost (as `npm start` prints it), as a new user in English, after /start. */
async function openChat(name: string, options: BrowserContextOptions): Promise<Chat> {
  const page = await browser!.newPage(options);
  const errors = pageErrors(page);
  await page.goto(shop!.localUrl('sandbox'));
  await page.getByTestId('new-user-name').fill(name);
  await page.getByTestId('new-user-lang').selectOption('en');
  await page.getByTestId('create-user').click();
  await expect
    .poll(() => page.getByTestId('chat-user').textContent(), { timeout: SLOW })
    .toBe(`Chatting as ${name}`);
  const userId = Number(
    await page.getByTestId('user-item').filter({ hasText: name }).getAttribute('data-user-id'),
  );
  await say(page, '/start');
  await botSays(page, 'Welcome');
  return { page, errors, userId, mainButton: page.getByTestId('mini-app-main-button') };
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByTestId('message-input').fill(text);
  await page.getByTestId('send').click();
}

async function botSays(page: Page, text: string | RegExp): Promise<void> {
  await page
    .locator('[data-testid="message"][data-from="bot"]')
    .filter({ hasText: text })
    .last()
    .waitFor({ timeout: SLOW });
}

async function tap(page: Page, label: string | RegExp): Promise<void> {
  await page.getByTestId('inline-button').filter({ hasText: label }).last().click();
}

/** The storefront in the panel, once it said web_app_ready and is signed in as the chat's user. */
async function openedShop(chat: Chat): Promise<Frame> {
  await chat.page.locator('[data-testid="mini-app"][data-ready="true"]').waitFor({ timeout: SLOW });
  const frame = await (await chat.page.getByTestId('mini-app-frame').elementHandle()).contentFrame();
  if (!frame) throw new Error('the Mini App panel has no frame');
  // Signed in by initData (one reload after it): the page is this Telegram user's.
  await frame.locator(`body[data-telegram-user="${chat.userId}"]`).waitFor({ timeout: SLOW });
  return frame;
}

/** Waits until Telegram's Main Button under the panel reads `text` and can be pressed. */
async function mainButtonSays(chat: Chat, text: string): Promise<void> {
  await expect.poll(() => chat.mainButton.textContent(), { timeout: SLOW }).toBe(text);
  await expect.poll(() => chat.mainButton.isEnabled(), { timeout: SLOW }).toBe(true);
  expect(await chat.mainButton.isVisible()).toBe(true);
}

const pathOf = (frame: Frame) => new URL(frame.url()).pathname;

/** The delivery details typed on the checkout page. */
async function fillDelivery(frame: Frame, name: string): Promise<void> {
  await frame.getByLabel('Name').fill(name);
  await frame.getByLabel('Phone').fill('+7 900 123-45-67');
  await frame.getByLabel('Address').fill('Nevsky prospekt 1, flat 2');
}

/**
 * On the order page: Pay `total` (the Main Button) opens the order's invoice in the panel, showing
 * `invoiceTotal` as Telegram writes it. A mark is left on the page, to see it is never reloaded.
 */
async function payInPanel(chat: Chat, frame: Frame, total: string, invoiceTotal = total): Promise<number> {
  const orderId = Number(pathOf(frame).split('/')[2]);
  await mainButtonSays(chat, `Pay ${total}`);
  await frame.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));
  await chat.mainButton.click();
  const invoice = chat.page.getByTestId('mini-app-invoice');
  await invoice.waitFor({ timeout: SLOW });
  expect(await invoice.getByTestId('invoice-title').textContent()).toBe(`Order #${orderId}`);
  expect(await invoice.getByTestId('invoice-total').textContent()).toBe(invoiceTotal);
  return orderId;
}

/** After Pay in the invoice: the order page turns Paid without a reload, and offers the way back. */
async function seePaid(chat: Chat, frame: Frame): Promise<void> {
  await chat.page.getByTestId('mini-app-invoice').waitFor({ state: 'hidden', timeout: SLOW });
  await expect.poll(() => frame.locator('[data-poll]').textContent(), { timeout: SLOW }).toBe('Paid');
  expect(await frame.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(true);
  // "Confirming it…" is over once the page shows it paid.
  await expect.poll(() => frame.locator('[data-pay-outcome]').isHidden(), { timeout: SLOW }).toBe(true);
  await mainButtonSays(chat, 'Back to the chat');
}

it(
  'opens the shop from the bot, is signed in by Telegram, pays its invoice in the panel, and sees the order paid in the Mini App and in the chat',
  { timeout: 180_000 },
  async () => {
    const snap = snaps('mini-app-buyer');
    const chat = await openChat('Vera', { viewport: { width: 1280, height: 820 } });
    const { page } = chat;

    // /start labels the chat's menu button; it opens the storefront's catalog in the panel.
    const menu = page.getByTestId('menu-button');
    await expect.poll(() => menu.textContent(), { timeout: SLOW }).toBe('Shop');
    await menu.click();
    let frame = await openedShop(chat);
    expect(pathOf(frame)).toBe('/');
    expect(frame.url()).not.toContain('tgWebAppData');
    expect(await frame.locator('h1').textContent()).toBe('Catalog');
    // Catalog's first page: no Back Button, and no main action yet.
    expect(await page.getByTestId('mini-app-back').isHidden()).toBe(true);
    expect(await chat.mainButton.isHidden()).toBe(true);
    await untilPhotosShown(frame);
    await snap(page, 'catalog');

    await frame.getByRole('link', { name: /^Books/ }).click();
    await frame.getByRole('link', { name: 'War and Peace' }).click();
    await frame.waitForURL(/\/products\/\d+$/);
    expect(await frame.locator('h1').textContent()).toBe('War and Peace');
    // The page's own Add to cart is Telegram's Main Button here; the Back Button is shown.
    await mainButtonSays(chat, 'Add to cart · $24.99');
    expect(await frame.getByRole('button', { name: 'Add to cart' }).isHidden()).toBe(true);
    expect(await page.getByTestId('mini-app-back').isVisible()).toBe(true);
    await untilPhotosShown(frame);
    await snap(page, 'product');

    await chat.mainButton.click();
    await frame.waitForURL('**/cart');
    expect(await frame.locator('.total').textContent()).toBe('Total: $24.99');
    await mainButtonSays(chat, 'Check out · $24.99');
    await snap(page, 'cart');

    await chat.mainButton.click();
    await frame.waitForURL('**/checkout');
    await mainButtonSays(chat, 'Place the order for $24.99');
    await fillDelivery(frame, 'Vera Petrova');
    await snap(page, 'checkout');
    await chat.mainButton.click();
    await frame.waitForURL(/\/orders\/\d+$/);
    const orderId = await payInPanel(chat, frame, '$24.99');
    await snap(page, 'invoice');
    await page.getByTestId('mini-app-invoice-pay').click();
    await seePaid(chat, frame);
    // In the chat: Telegram's service message and the shop's receipt; no second invoice there.
    await page
      .getByTestId('service-message')
      .filter({ hasText: 'You paid $24.99 to Shop' })
      .waitFor({ timeout: SLOW });
    await botSays(page, `✅ Order #${orderId} is paid.`);
    expect(await page.locator('[data-testid="message"] [data-testid="invoice"]').count()).toBe(0);
    await snap(page, 'paid');

    // "Back to the chat" closes the Mini App.
    await chat.mainButton.click();
    await page.getByTestId('mini-app').waitFor({ state: 'hidden', timeout: SLOW });

    // "Open in shop" on a product card opens that product; a digital good, paid in Telegram Stars.
    await expect.poll(() => page.getByTestId('stars-balance').textContent()).toBe('⭐ 10,000');
    await say(page, '/catalog');
    await tap(page, /^Digital goods/);
    await tap(page, /^E-book: The Art of Tea · /);
    await botSays(page, 'In stock:');
    const open = page.getByTestId('inline-button').filter({ hasText: '🌐 Open in shop' }).last();
    expect(await open.getAttribute('data-web-app-url')).toMatch(/^http:\/\/localhost:\d+\/products\/\d+$/);
    await open.click();
    frame = await openedShop(chat);
    expect(pathOf(frame)).toBe(new URL((await open.getAttribute('data-web-app-url'))!).pathname);
    expect(await frame.locator('h1').textContent()).toBe('E-book: The Art of Tea');
    // The shop writes Stars as their code (shared formatMoney), Telegram as ⭐.
    await mainButtonSays(chat, 'Add to cart · XTR\u00a0100');
    await snap(page, 'open-in-shop');
    await chat.mainButton.click();
    await frame.waitForURL('**/cart');
    await mainButtonSays(chat, 'Check out · XTR\u00a0100');
    await chat.mainButton.click();
    await frame.waitForURL('**/checkout');
    // The delivery details of the first order, remembered.
    expect(await frame.getByLabel('Name').inputValue()).toBe('Vera Petrova');
    await mainButtonSays(chat, 'Place the order for XTR\u00a0100');
    await chat.mainButton.click();
    await frame.waitForURL(/\/orders\/\d+$/);
    const starsOrder = await payInPanel(chat, frame, 'XTR\u00a0100', '⭐ 100');
    await page.getByTestId('mini-app-invoice-pay').click();
    await seePaid(chat, frame);
    await page
      .getByTestId('service-message')
      .filter({ hasText: 'You paid ⭐ 100 to Shop' })
      .waitFor({ timeout: SLOW });
    await botSays(page, `✅ Order #${starsOrder} is paid in Telegram Stars.`);
    await expect.poll(() => page.getByTestId('stars-balance').textContent()).toBe('⭐ 9,900');
    await snap(page, 'stars-paid');
    expect(chat.errors).toEqual([]);

    // The same storefront in a plain browser: the shop's own page, nothing of Telegram.
    const plain = await browser!.newPage({ viewport: { width: 1000, height: 760 } });
    await plain.goto(shop!.localUrl('web'));
    expect(await plain.locator('h1').textContent()).toBe('Catalog');
    expect(await plain.locator('html').getAttribute('data-tg-scheme')).toBeNull();
    await untilPhotosShown(plain);
    await snap(plain, 'browser');
    await plain.close();
  },
);

/** Text on the page's key elements reads at WCAG's 4.5:1 or better, and nothing is wider than the screen. */
async function readable(frame: Frame, selectors: readonly string[]): Promise<void> {
  for (const shown of await shownColours(frame, selectors))
    expect(
      shown.contrast,
      `${shown.selector} "${shown.text}": ${shown.color} on ${shown.background}`,
    ).toBeGreaterThanOrEqual(4.5);
  const widths = await pageWidths(frame);
  expect(widths.scroll, pathOf(frame)).toBeLessThanOrEqual(widths.viewport);
}

// What the function run in the frame reaches there (this repository's TypeScript has no DOM library).
declare const parent: { postMessage(message: string, target: string): void };
declare function addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;

/** The Mini App asks Telegram for the theme, as Telegram's SDK does; what Telegram answers. */
const requestTheme = (frame: Frame) =>
  frame.evaluate(
    () =>
      new Promise<unknown>((resolve) => {
        addEventListener('message', ({ data }) => {
          const message = JSON.parse(String(data)) as { eventType?: string; eventData?: unknown };
          if (message.eventType === 'theme_changed') resolve(message.eventData);
        });
        parent.postMessage(JSON.stringify({ eventType: 'web_app_request_theme' }), '*');
      }),
  );

/** `#rrggbb` as a computed style shows it. */
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)).join(', ')})`;

/** The page shows Telegram's dark theme (the sandbox's): its background and text are the theme's. */
async function inDarkTheme(frame: Frame): Promise<void> {
  const [body] = await shownColours(frame, ['body']);
  expect(body).toMatchObject({ background: rgb(THEMES.dark.bg_color), color: rgb(THEMES.dark.text_color) });
  expect(await frame.locator('html').getAttribute('data-tg-scheme')).toBe('dark');
}

const PAGE_TEXT = [
  'body',
  'h1',
  '.brand',
  '.links a',
  '.languages a:not([aria-current])',
  '.languages [aria-current]',
];

it(
  'shops on a phone in Telegram’s dark theme: every page readable, nothing wider than the screen, the Main Button in view',
  { timeout: 180_000 },
  async () => {
    const snap = snaps('mini-app-phone');
    const chat = await openChat('Mila', {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const { page } = chat;
    const menu = page.getByTestId('menu-button');
    await expect.poll(() => menu.isVisible(), { timeout: SLOW }).toBe(true);
    // The chat, with the menu button beside the message field, fits the phone.
    expect(await pageWidths(page)).toEqual({ scroll: 390, viewport: 390 });
    await menu.tap();
    const frame = await openedShop(chat);
    // The Mini App covers the whole screen, as Telegram's apps show it.
    expect(await page.getByTestId('mini-app-frame').boundingBox()).toMatchObject({ x: 0, width: 390 });
    expect(await pageWidths(page)).toEqual({ scroll: 390, viewport: 390 });
    // The panel's theme switch: Telegram's dark theme, told to the app at once.
    await page.getByTestId('mini-app-theme').tap();
    await expect.poll(() => frame.locator('html').getAttribute('data-tg-scheme')).toBe('dark');
    await inDarkTheme(frame);
    // Asked for the theme (web_app_request_theme), the panel answers with the dark one too.
    expect(await requestTheme(frame)).toEqual({ theme_params: THEMES.dark });
    await readable(frame, [...PAGE_TEXT, '.categories a', '.card h2', '.card .price', '.card .stock']);
    await untilPhotosShown(frame);
    await snap(page, 'catalog');

    await frame.getByRole('link', { name: /^Books/ }).tap();
    await frame.getByRole('link', { name: 'War and Peace' }).tap();
    await frame.waitForURL(/\/products\/\d+$/);
    await inDarkTheme(frame);
    await readable(frame, [
      ...PAGE_TEXT,
      '.back a',
      '.product .price',
      '.product .stock',
      '.description',
      'label',
    ]);
    await mainButtonSays(chat, 'Add to cart · $24.99');
    const inView = async () => {
      const button = await chat.mainButton.boundingBox();
      expect(button).not.toBeNull();
      expect(button!.y + button!.height).toBeLessThanOrEqual(844);
      expect(button!.x).toBeGreaterThanOrEqual(0);
      expect(button!.x + button!.width).toBeLessThanOrEqual(390);
    };
    await inView();
    await untilPhotosShown(frame);
    await snap(page, 'product');

    await chat.mainButton.tap();
    await frame.waitForURL('**/cart');
    await inDarkTheme(frame);
    await readable(frame, [...PAGE_TEXT, '.line > a', '.line .price', '.total', 'label']);
    await mainButtonSays(chat, 'Check out · $24.99');
    await inView();
    await snap(page, 'cart');

    await chat.mainButton.tap();
    await frame.waitForURL('**/checkout');
    await fillDelivery(frame, 'Mila Orlova');
    await inDarkTheme(frame);
    await readable(frame, [...PAGE_TEXT, '.line span', '.total', 'label', 'input']);
    await mainButtonSays(chat, 'Place the order for $24.99');
    await inView();
    await snap(page, 'checkout');

    await chat.mainButton.tap();
    await frame.waitForURL(/\/orders\/\d+$/);
    await inDarkTheme(frame);
    await payInPanel(chat, frame, '$24.99');
    await snap(page, 'invoice');
    await page.getByTestId('mini-app-invoice-pay').tap();
    await seePaid(chat, frame);
    await readable(frame, [...PAGE_TEXT, '[data-poll]', '.muted', '.line > a', '.total', '.description']);
    await inView();
    await snap(page, 'order-paid');
    expect(chat.errors).toEqual([]);
  },
);

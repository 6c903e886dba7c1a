/**
 * Mini Apps in the sandbox's web chat, as a newcomer would use them: headless Chromium opens the
 * chat, a tiny grammY bot sets a Web App menu button and sends a web_app button, and a tiny Mini
 * App on an origin of its own (test-mini-app.ts) opens in the panel beside the chat and speaks
 * Telegram's web protocol: initData, theme, Main Button, Back Button, an invoice link paid in Stars,
 * close. Leaves a screenshot in test-results/web-chat-mini-app.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { startSandbox, type RunningSandbox } from '@shop/sandbox';
import { testLogger } from '@shop/testkit';
import { Bot } from 'grammy';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { THEMES } from '../../services/sandbox/src/mini-app/themes.ts';
import { startTestMiniApp } from './test-mini-app.ts';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = '434343:web-chat-mini-app';
const SLOW = 15_000;

let browser: Browser | undefined;
let sandbox: RunningSandbox | undefined;
let miniApp: Awaited<ReturnType<typeof startTestMiniApp>> | undefined;
let bot: Bot | undefined;
let polling: Promise<void> | undefined;
beforeAll(async () => {
  if (!existsSync(executablePath))
    throw new Error(
      `No Chromium at ${executablePath}: run scripts/install-browser.sh (or set CHROMIUM_PATH)`,
    );
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  sandbox = await startSandbox({ botToken: TOKEN, logger: testLogger() });
  miniApp = await startTestMiniApp({ botToken: TOKEN, apiRoot: sandbox.url });
  const appUrl = miniApp.appUrl;
  bot = new Bot(TOKEN, { client: { apiRoot: sandbox.url } });
  await bot.api.setChatMenuButton({
    menu_button: { type: 'web_app', text: 'Shop', web_app: { url: appUrl } },
  });
  bot.command('product', (ctx) =>
    ctx.reply('Green tea, 50 ⭐', {
      reply_markup: {
        inline_keyboard: [[{ text: 'Open in shop', web_app: { url: `${appUrl}?product=7` } }]],
      },
    }),
  );
  bot.on('pre_checkout_query', (ctx) =>
    ctx.preCheckoutQuery.invoice_payload === 'order:refused'
      ? ctx.answerPreCheckoutQuery(false, { error_message: 'Sorry, this order has expired.' })
      : ctx.answerPreCheckoutQuery(true),
  );
  bot.on('message:successful_payment', (ctx) => ctx.reply('✅ Order #7 is paid.'));
  polling = bot.start({ timeout: 30 });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await bot?.stop();
  await polling;
  await miniApp?.close();
  await sandbox?.close();
});

/** The Mini App's own window, once the panel shows it and it said web_app_ready. */
async function openedApp(page: Page): Promise<Frame> {
  await page.locator('[data-testid="mini-app"][data-ready="true"]').waitFor({ timeout: SLOW });
  const frame = await (await page.getByTestId('mini-app-frame').elementHandle()).contentFrame();
  if (!frame) throw new Error('the Mini App panel has no frame');
  return frame;
}

interface Received {
  eventType: string;
  eventData?: Record<string, unknown>;
}
/** What the Mini App has received from the client, oldest first. */
const receivedBy = (app: Frame) =>
  app.evaluate(() => (globalThis as unknown as { tma: { received: Received[] } }).tma.received);
/** Waits until the Mini App received `eventType` more than `after` times; returns the newest. */
async function nextEvent(app: Frame, eventType: string, after = 0): Promise<Received> {
  await expect
    .poll(async () => (await receivedBy(app)).filter((each) => each.eventType === eventType).length, {
      timeout: SLOW,
    })
    .toBeGreaterThan(after);
  return (await receivedBy(app)).filter((each) => each.eventType === eventType).at(-1)!;
}
const countOf = async (app: Frame, eventType: string) =>
  (await receivedBy(app)).filter((each) => each.eventType === eventType).length;
/** The Mini App calls a method of the client, as its own code would. */
const call = (app: Frame, eventType: string, eventData?: unknown) =>
  app.evaluate(
    ([type, data]) =>
      (globalThis as unknown as { tma: { post: (t: unknown, d: unknown) => void } }).tma.post(type, data),
    [eventType, eventData] as const,
  );

it(
  'opens the Mini App from the menu button and a web_app button, and plays Telegram’s part of the protocol',
  { timeout: 120_000 },
  async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 820 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    mkdirSync('test-results', { recursive: true });
    await page.goto(sandbox!.url);
    await page.getByTestId('new-user-name').fill('Vera');
    await page.getByTestId('create-user').click();
    const userId = Number(await page.getByTestId('user-item').last().getAttribute('data-user-id'));
    await expect
      .poll(() => page.getByTestId('stars-balance').textContent(), { timeout: SLOW })
      .toBe('⭐ 10,000');

    // The menu button beside the message field opens the Mini App in the panel beside the chat.
    const menu = page.getByTestId('menu-button');
    await menu.waitFor({ timeout: SLOW });
    expect(await menu.textContent()).toBe('Shop');
    await menu.click();
    let app = await openedApp(page);
    expect(await page.getByTestId('mini-app-title').textContent()).toBe('Shop');
    expect(await app.locator('#verified').textContent()).toBe(`verified ${userId}`);
    const launch = await app.evaluate(() => {
      const { version, platform, themeParams } = (
        globalThis as unknown as { tma: { version: string; platform: string; themeParams: unknown } }
      ).tma;
      return { version, platform, themeParams };
    });
    expect(launch).toEqual({ version: '8.0', platform: 'weba', themeParams: THEMES.light });
    // iframe_ready is answered with the theme.
    expect((await nextEvent(app, 'theme_changed')).eventData).toEqual({ theme_params: THEMES.light });

    // The Main Button follows web_app_setup_main_button and reports presses.
    const mainButton = page.getByTestId('mini-app-main-button');
    expect(await mainButton.isHidden()).toBe(true);
    await call(app, 'web_app_setup_main_button', {
      is_visible: true,
      is_active: true,
      is_progress_visible: false,
      text: 'Checkout',
      color: '#31b545',
      text_color: '#ffffff',
    });
    await mainButton.waitFor();
    expect(await mainButton.textContent()).toBe('Checkout');
    expect(
      await mainButton.evaluate(
        (button: { style: { backgroundColor: string } }) => button.style.backgroundColor,
      ),
    ).toBe('rgb(49, 181, 69)');
    await mainButton.click();
    await nextEvent(app, 'main_button_pressed');
    await call(app, 'web_app_setup_main_button', { is_visible: true, is_active: false, text: 'Checkout' });
    await expect.poll(() => mainButton.isDisabled()).toBe(true);
    await call(app, 'web_app_setup_main_button', { is_visible: false, is_active: true, text: 'Checkout' });
    await mainButton.waitFor({ state: 'hidden' });
    expect(await countOf(app, 'main_button_pressed')).toBe(1);

    // The Back Button in the panel's header.
    const back = page.getByTestId('mini-app-back');
    expect(await back.isHidden()).toBe(true);
    await call(app, 'web_app_setup_back_button', { is_visible: true });
    await back.click();
    await nextEvent(app, 'back_button_pressed');
    await call(app, 'web_app_setup_back_button', { is_visible: false });
    await back.waitFor({ state: 'hidden' });

    // The theme switch and the viewport.
    const themes = await countOf(app, 'theme_changed');
    await page.getByTestId('mini-app-theme').click();
    expect((await nextEvent(app, 'theme_changed', themes)).eventData).toEqual({ theme_params: THEMES.dark });
    await call(app, 'web_app_request_viewport');
    const viewport = (await nextEvent(app, 'viewport_changed')).eventData!;
    expect(viewport).toMatchObject({ is_expanded: true, is_state_stable: true });
    expect(viewport.height).toBeGreaterThan(300);

    // Nothing but the frame's own window is heard: the page posting to itself changes nothing.
    await page.evaluate(() =>
      (globalThis as unknown as { postMessage: (message: string, origin: string) => void }).postMessage(
        JSON.stringify({ eventType: 'web_app_close' }),
        '*',
      ),
    );
    await call(app, 'web_app_request_viewport');
    await nextEvent(app, 'viewport_changed', 1);
    expect(await page.getByTestId('mini-app').isVisible()).toBe(true);

    // openInvoice: the sandbox's invoice for the link's slug, paid in Stars as the chat's Pay does.
    const invoice = page.getByTestId('mini-app-invoice');
    const slug = await app.evaluate(() =>
      (globalThis as unknown as { tma: { invoiceSlug: (p: string) => Promise<string> } }).tma.invoiceSlug(
        'order:7',
      ),
    );
    await call(app, 'web_app_open_invoice', { slug });
    await invoice.waitFor({ timeout: SLOW });
    expect(await invoice.getByTestId('invoice-title').textContent()).toBe('Order #7');
    await page.screenshot({ path: 'test-results/web-chat-mini-app-invoice.png' });
    await page.getByTestId('mini-app-invoice-pay').click();
    expect((await nextEvent(app, 'invoice_closed')).eventData).toEqual({ slug, status: 'paid' });
    await invoice.waitFor({ state: 'hidden' });
    await page
      .getByTestId('service-message')
      .filter({ hasText: 'You paid ⭐ 50 to Shop' })
      .waitFor({ timeout: SLOW });
    await page
      .locator('[data-testid="message"][data-from="bot"]')
      .filter({ hasText: 'Order #7 is paid' })
      .waitFor({ timeout: SLOW });
    await expect.poll(() => page.getByTestId('stars-balance').textContent()).toBe('⭐ 9,950');

    // Closed without paying: cancelled; refused by the bot: failed, in the bot's words.
    await call(app, 'web_app_open_invoice', { slug });
    await page.getByTestId('mini-app-invoice-cancel').click();
    expect((await nextEvent(app, 'invoice_closed', 1)).eventData).toEqual({ slug, status: 'cancelled' });
    const refused = await app.evaluate(() =>
      (globalThis as unknown as { tma: { invoiceSlug: (p: string) => Promise<string> } }).tma.invoiceSlug(
        'order:refused',
      ),
    );
    await call(app, 'web_app_open_invoice', { slug: refused });
    await page.getByTestId('mini-app-invoice-pay').click();
    expect((await nextEvent(app, 'invoice_closed', 2)).eventData).toEqual({
      slug: refused,
      status: 'failed',
    });
    await page.getByTestId('alert').waitFor({ state: 'visible', timeout: SLOW });
    expect(await page.getByTestId('alert-text').textContent()).toBe('Sorry, this order has expired.');
    await page.getByTestId('alert').getByRole('button', { name: 'OK' }).click();
    expect(await page.getByTestId('stars-balance').textContent()).toBe('⭐ 9,950');

    await call(app, 'web_app_setup_main_button', { is_visible: true, is_active: true, text: 'Pay ⭐ 50' });
    await mainButton.waitFor();
    await page.screenshot({ path: 'test-results/web-chat-mini-app.png' });

    // web_app_close closes the panel.
    await call(app, 'web_app_close');
    await page.getByTestId('mini-app').waitFor({ state: 'hidden' });

    // A web_app button on the bot's message opens its own URL, with initData for this user too.
    await page.getByTestId('message-input').fill('/product');
    await page.getByTestId('send').click();
    const button = page.getByTestId('inline-button').filter({ hasText: 'Open in shop' });
    await button.click({ timeout: SLOW });
    app = await openedApp(page);
    expect(await app.locator('#place').textContent()).toBe('/app?product=7');
    expect(await app.locator('#verified').textContent()).toBe(`verified ${userId}`);
    // It opened in the dark theme the user switched to.
    expect((await nextEvent(app, 'theme_changed')).eventData).toEqual({ theme_params: THEMES.dark });
    await page.getByTestId('mini-app-close').click();
    await page.getByTestId('mini-app').waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
  },
);

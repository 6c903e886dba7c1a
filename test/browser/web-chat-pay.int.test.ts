/**
 * Paying in the web chat as a newcomer would: headless Chromium opens the sandbox's page, a tiny
 * grammY bot sends invoices, and Pay is clicked. No shop: the sandbox and the bot run in this
 * process. Leaves a screenshot in test-results/web-chat-pay.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { startSandbox, type RunningSandbox } from '@shop/sandbox';
import { testLogger } from '@shop/testkit';
import { Bot } from 'grammy';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = '424242:web-chat-pay';
const SLOW = 15_000;

let browser: Browser | undefined;
let sandbox: RunningSandbox | undefined;
let bot: Bot | undefined;
let polling: Promise<void> | undefined;
beforeAll(async () => {
  if (!existsSync(executablePath))
    throw new Error(
      `No Chromium at ${executablePath}: run scripts/install-browser.sh (or set CHROMIUM_PATH)`,
    );
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  sandbox = await startSandbox({ botToken: TOKEN, logger: testLogger() });
  const photoUrl = `${sandbox.url}/favicon.svg`;
  bot = new Bot(TOKEN, { client: { apiRoot: sandbox.url } });
  // /buy: an e-book in Stars with its photo; /late: an invoice the bot refuses to take.
  bot.command(['buy', 'late'], (ctx) =>
    ctx.replyWithInvoice(
      'Order #12',
      'War and Peace, e-book',
      `order:${ctx.message?.text}`,
      'XTR',
      [{ label: 'E-book', amount: 50 }],
      { photo_url: photoUrl, photo_width: 64, photo_height: 64 },
    ),
  );
  bot.on('pre_checkout_query', (ctx) =>
    ctx.preCheckoutQuery.invoice_payload === 'order:/late'
      ? ctx.answerPreCheckoutQuery(false, { error_message: 'Sorry, this order has expired.' })
      : ctx.answerPreCheckoutQuery(true),
  );
  bot.on('message:successful_payment', (ctx) => ctx.reply('✅ Order #12 is paid.'));
  polling = bot.start({ timeout: 30 });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await bot?.stop();
  await polling;
  await sandbox?.close();
});

async function say(page: Page, text: string): Promise<void> {
  await page.getByTestId('message-input').fill(text);
  await page.getByTestId('send').click();
}

const lastInvoice = (page: Page) =>
  page
    .locator('[data-testid="message"][data-from="bot"]')
    .filter({ has: page.getByTestId('invoice') })
    .last();

it(
  'pays an invoice in Stars by clicking Pay, and shows a refusal in the bot’s words',
  { timeout: 60_000 },
  async () => {
    const page = await browser!.newPage({ viewport: { width: 1000, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(sandbox!.url);
    await page.getByTestId('new-user-name').fill('Vera');
    await page.getByTestId('create-user').click();
    await expect
      .poll(() => page.getByTestId('stars-balance').textContent(), { timeout: SLOW })
      .toBe('⭐ 10,000');

    await say(page, '/buy');
    const invoice = lastInvoice(page);
    await invoice.waitFor({ timeout: SLOW });
    expect(await invoice.getByTestId('invoice-title').textContent()).toBe('Order #12');
    expect(await invoice.getByTestId('invoice-total').textContent()).toBe('⭐ 50');
    await expect
      .poll(() =>
        invoice
          .getByTestId('invoice-photo')
          .evaluate((image: { naturalWidth: number }) => image.naturalWidth),
      )
      .toBeGreaterThan(0);

    await invoice.getByTestId('pay-button').click();
    await page
      .getByTestId('service-message')
      .filter({ hasText: 'You paid ⭐ 50 to Shop' })
      .waitFor({ timeout: SLOW });
    await page
      .locator('[data-testid="message"][data-from="bot"]')
      .filter({ hasText: 'Order #12 is paid' })
      .waitFor();
    await expect.poll(() => page.getByTestId('stars-balance').textContent()).toBe('⭐ 9,950');
    expect(await lastInvoice(page).getByTestId('pay-button').textContent()).toBe('Receipt');
    expect(await lastInvoice(page).getByTestId('pay-button').isDisabled()).toBe(true);

    await say(page, '/late');
    await lastInvoice(page).getByTestId('pay-button').filter({ hasText: 'Pay ⭐ 50' }).click();
    await page.getByTestId('alert').waitFor({ state: 'visible', timeout: SLOW });
    expect(await page.getByTestId('alert-text').textContent()).toBe('Sorry, this order has expired.');
    expect(await page.getByTestId('stars-balance').textContent()).toBe('⭐ 9,950');

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/web-chat-pay.png' });
    await page.getByTestId('alert').getByRole('button', { name: 'OK' }).click();
    expect(errors).toEqual([]);
  },
);

/**
 * Issue #19's browser buyer, as a person does it: headless Chromium registers, searches, adds two
 * products, checks out with delivery details and sees the order turn paid without reloading.
 * Against the storefront served over the whole shop in-process (the simulated provider, made to
 * take a few seconds). Screenshots of each step go to test-results/storefront-*.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { uniqueEmail } from '@shop/testkit';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startShopWebForTest, type ShopWeb } from './start.ts';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SLOW = 30_000;

let web: ShopWeb | undefined;
let browser: Browser | undefined;
const tag = crypto.randomUUID().slice(0, 6);
beforeAll(async () => {
  if (!existsSync(executablePath))
    throw new Error(
      `No Chromium at ${executablePath}: run scripts/install-browser.sh (or set CHROMIUM_PATH)`,
    );
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  web = await startShopWebForTest('web_browser', { paymentEnv: { PAYMENT_PROVIDER_LATENCY_MS: '3000' } });
  await web.addProduct({ name: `Jade teapot ${tag}`, priceCents: 3_200, stock: 4 });
  await web.addProduct({ name: `Jade cups ${tag}`, priceCents: 900, stock: 12 });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await web?.close();
});

mkdirSync('test-results', { recursive: true });
let step = 0;
const snap = (page: Page, name: string) =>
  page.screenshot({
    path: `test-results/storefront-${String(++step).padStart(2, '0')}-${name}.png`,
    fullPage: true,
  });

async function addFromSearch(page: Page, name: string, quantity: number) {
  await page.getByRole('searchbox').fill(name);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name }).click();
  await page.getByLabel('Quantity').fill(String(quantity));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.waitForURL('**/cart');
}

it(
  'registers, searches, adds two products, checks out and sees the order turn paid',
  { timeout: 90_000 },
  async () => {
    const page = await browser!.newPage({ viewport: { width: 1000, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(web!.url);
    await snap(page, 'catalog');

    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('E-mail').fill(uniqueEmail('chromium'));
    await page.getByLabel('Password').fill('a long enough password');
    await snap(page, 'register');
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.waitForURL('**/account');

    await page.getByRole('link', { name: 'Telegram Shop' }).click();
    await addFromSearch(page, `Jade teapot ${tag}`, 1);
    await page.getByRole('link', { name: 'Telegram Shop' }).click();
    await addFromSearch(page, `Jade cups ${tag}`, 4);
    await expect.poll(() => page.locator('.total').textContent()).toBe('Total: $68.00');
    await snap(page, 'cart');

    await page.getByRole('link', { name: 'Check out' }).click();
    await page.getByLabel('Name').fill('Vera');
    await page.getByLabel('Phone').fill('+7 900 123-45-67');
    await page.getByLabel('Address').fill('1 Garden Ring, Moscow');
    await snap(page, 'checkout');
    await page.getByRole('button', { name: 'Place the order for $68.00' }).click();
    await page.waitForURL(/\/orders\/\d+$/);
    const status = page.locator('[data-poll]');
    expect(await status.textContent()).not.toBe('Paid');
    await snap(page, 'order-placed');
    // The page is not reloaded: a mark left on it is still there when the status turns paid.
    await page.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));
    await expect.poll(() => status.textContent(), { timeout: SLOW }).toBe('Paid');
    expect(await page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await snap(page, 'order-paid');
    // The same order in Russian, and the choice kept for the next pages.
    await page.getByRole('link', { name: 'Русский' }).click();
    expect(await page.locator('[data-poll]').textContent()).toBe('Оплачен');
    await page.getByRole('link', { name: 'Заказы' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Заказы');
    await snap(page, 'orders-ru');
    expect(errors).toEqual([]);
  },
);

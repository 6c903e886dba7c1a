/**
 * The newcomer's way in: headless Chromium opens the sandbox's web chat, and purchases are made by
 * typing and clicking only (the phone number shared with Telegram's button, the shop's invoices
 * paid with their Pay button), against the whole shop running as processes with a payment
 * provider connected, as `npm start` runs it. Leaves screenshots in test-results/: web-chat.png
 * (a card payment) and web-chat-payment.png (Telegram Stars).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeSandboxProviderToken } from '../../scripts/lib/start-env.ts';
import { startShop, type Shop } from '../support/shop.ts';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SLOW = 30_000;

// Undefined when beforeAll failed half way; afterAll still closes what did start.
let shop: Shop | undefined;
let browser: Browser | undefined;
beforeAll(async () => {
  if (!existsSync(executablePath))
    throw new Error(
      `No Chromium at ${executablePath}: run scripts/install-browser.sh (or set CHROMIUM_PATH)`,
    );
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  shop = await startShop({
    suite: 'browser',
    publicCatalog: true,
    env: { TELEGRAM_PAYMENT_PROVIDER_TOKEN: makeSandboxProviderToken() },
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

const lastBotMessage = (page: Page) => page.locator('[data-testid="message"][data-from="bot"]').last();

async function say(page: Page, text: string): Promise<void> {
  await page.getByTestId('message-input').fill(text);
  await page.getByTestId('send').click();
}

/** A page of the sandbox's web chat, as a new user in English; errors in its console collected. */
async function openChat(name: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1000, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(shop!.url('sandbox'));
  await page.getByTestId('new-user-name').fill(name);
  await page.getByTestId('new-user-lang').selectOption('en');
  await page.getByTestId('create-user').click();
  // The page opened on the first user's chat: what is typed must go to the new user's.
  await expect
    .poll(() => page.getByTestId('chat-user').textContent(), { timeout: SLOW })
    .toBe(`Chatting as ${name}`);
  return { page, errors };
}

/** The newest invoice in the chat. */
const lastInvoice = (page: Page) =>
  page
    .locator('[data-testid="message"][data-from="bot"]')
    .filter({ has: page.getByTestId('invoice') })
    .last();

/** Delivery details typed, the phone shared with Telegram's button: the summary, once shown. */
async function giveDelivery(page: Page, name: string): Promise<string> {
  await expectBot(page, 'Where should we deliver your order?');
  await say(page, name);
  await expectBot(page, 'A phone number for the courier');
  // Telegram's "share my phone number" button, under the input field: it sends the user's own contact.
  await page.getByTestId('reply-button').filter({ hasText: '📱 Share my phone number' }).click();
  const contact = page.locator('[data-testid="message"][data-from="user"]').getByTestId('contact').last();
  await contact.waitFor({ timeout: SLOW });
  expect(await contact.textContent()).toContain(name.split(' ')[0]);
  const phone = (await contact.getByTestId('contact-phone').textContent()) ?? '';
  expect(phone).toMatch(/^\+\d{7,15}$/);
  await expectBot(page, 'And the delivery address');
  await page.getByTestId('reply-keyboard').waitFor({ state: 'hidden' });
  await say(page, 'Nevsky prospekt 1, flat 2');
  await expectBot(page, `Deliver to: ${name}, ${phone}`);
  await expectBot(page, 'Confirm?');
  return phone;
}

async function tap(page: Page, label: string | RegExp): Promise<void> {
  await page.getByTestId('inline-button').filter({ hasText: label }).last().click();
}

async function expectBot(page: Page, text: string | RegExp): Promise<void> {
  await page
    .locator('[data-testid="message"][data-from="bot"]')
    .filter({ hasText: text })
    .last()
    .waitFor({ timeout: SLOW });
}

/** On the product card the chat shows: ➕ up to `quantity`, then Add to cart, told in a toast. */
async function addToCart(page: Page, product: string, quantity: number): Promise<void> {
  for (let n = 2; n <= quantity; n++) {
    await tap(page, '➕');
    await page
      .getByTestId('inline-button')
      .filter({ hasText: new RegExp(`^${n}$`) })
      .last()
      .waitFor();
  }
  await tap(page, '🛒 Add to cart');
  await expect
    .poll(() => page.getByTestId('toast').textContent(), { timeout: SLOW })
    .toBe(`🛒 Added ${quantity} × ${product}. In your cart: ${quantity}.`);
}

it(
  'buys two products from the cart in the web chat by typing and clicking, pays the invoice by card, and sees it paid',
  { timeout: 90_000 },
  async () => {
    const { page, errors } = await openChat('Vera');

    await say(page, '/start');
    await tap(page, '📝 Register');
    await expectBot(page, 'What is your e-mail?');
    await say(page, uniqueEmail('vera'));
    await expectBot(page, 'choose a password');
    await say(page, 'a good password');
    await expectBot(page, 'You are signed in as');
    // The bot deletes the password once read; the page must not show it, however the events raced.
    await page
      .locator('[data-testid="message"][data-from="user"]')
      .filter({ hasText: 'a good password' })
      .waitFor({ state: 'detached', timeout: 5_000 });

    await say(page, '/catalog');
    await tap(page, /^Books/);
    await expectBot(page, 'Page 1 of');
    await tap(page, /^War and Peace · /);
    await expectBot(page, 'In stock:');
    // The card shows the product's photo, loaded.
    const photo = lastBotMessage(page).getByTestId('photo');
    await expect
      .poll(() => photo.evaluate((image: { naturalWidth: number }) => image.naturalWidth), { timeout: SLOW })
      .toBeGreaterThan(0);
    await addToCart(page, 'War and Peace', 1);
    await tap(page, '⬅️ Back');
    await tap(page, /^The Master and Margarita · /);
    await addToCart(page, 'The Master and Margarita', 2);
    await tap(page, '🛒 Cart');
    await expectBot(page, 'Total: $62.97');
    expect(await lastBotMessage(page).getByTestId('message-text').textContent()).toBe(
      [
        '🛒 Your cart:',
        '1. War and Peace × 1 — $24.99',
        '2. The Master and Margarita × 2 — $37.98',
        'Total: $62.97',
      ].join('\n'),
    );

    await tap(page, '✅ Checkout');
    await giveDelivery(page, 'Vera Petrova');
    await tap(page, '✅ Confirm');
    await expectBot(page, /Order #\d+ placed, total \$62\.97/);

    // The shop's invoice for the order, paid by card with Telegram's Pay button.
    const invoice = lastInvoice(page);
    await invoice.waitFor({ timeout: SLOW });
    expect(await invoice.getByTestId('invoice-title').textContent()).toMatch(/^Order #\d+$/);
    expect(await invoice.getByTestId('invoice-total').textContent()).toBe('$62.97');
    await invoice.getByTestId('pay-button').filter({ hasText: 'Pay $62.97' }).click();
    await page
      .getByTestId('service-message')
      .filter({ hasText: 'You paid $62.97 to Shop' })
      .waitFor({ timeout: SLOW });
    await expectBot(page, /✅ Order #\d+ is paid\./);
    expect(await lastBotMessage(page).textContent()).toMatch(/Order #\d+ is paid/);
    expect(await lastInvoice(page).getByTestId('pay-button').textContent()).toBe('Receipt');

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/web-chat.png' });
    expect(errors).toEqual([]);
  },
);

it(
  "buys a digital good in Telegram Stars: presses Pay on the shop's invoice and sees the receipt",
  { timeout: 90_000 },
  async () => {
    const { page, errors } = await openChat('Mila');
    await expect
      .poll(() => page.getByTestId('stars-balance').textContent(), { timeout: SLOW })
      .toBe('⭐ 10,000');

    await say(page, '/catalog');
    await tap(page, /^Digital goods/);
    await tap(page, /^E-book: The Art of Tea · /);
    await expectBot(page, 'In stock:');
    await tap(page, '⚡ Buy now');
    await giveDelivery(page, 'Mila Orlova');
    await tap(page, '✅ Confirm');
    await expectBot(page, /Order #\d+ placed/);

    const invoice = lastInvoice(page);
    await invoice.waitFor({ timeout: SLOW });
    expect(await invoice.getByTestId('invoice-total').textContent()).toBe('⭐ 100');
    // The product's photo, fetched from the shop's catalog.
    await expect
      .poll(
        () =>
          invoice
            .getByTestId('invoice-photo')
            .evaluate((image: { naturalWidth: number }) => image.naturalWidth),
        { timeout: SLOW },
      )
      .toBeGreaterThan(0);
    await invoice.getByTestId('pay-button').filter({ hasText: 'Pay ⭐ 100' }).click();

    await page
      .getByTestId('service-message')
      .filter({ hasText: 'You paid ⭐ 100 to Shop' })
      .waitFor({ timeout: SLOW });
    await expectBot(page, /✅ Order #\d+ is paid in Telegram Stars\./);
    await expect.poll(() => page.getByTestId('stars-balance').textContent()).toBe('⭐ 9,900');
    expect(await lastInvoice(page).getByTestId('pay-button').textContent()).toBe('Receipt');
    expect(await lastInvoice(page).getByTestId('pay-button').isDisabled()).toBe(true);

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/web-chat-payment.png' });
    expect(errors).toEqual([]);
  },
);

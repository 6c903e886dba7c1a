/**
 * What the load needs before it starts, made through the shop's own APIs: an admin's products
 * with stock no run can exhaust, and buyers with a Telegram chat in the sandbox linked to their
 * account (as the bot links it), so each payment outcome is owed to a chat.
 */
import { uniqueEmail } from '@shop/shared/testing';
import type { Shop } from '../support/shop.ts';
import type { Buyer } from './load.ts';

/** auth's development default (services/auth/src/config.ts), which the shop runs with. */
const BOT_SERVICE_TOKEN = process.env.BOT_SERVICE_TOKEN ?? 'dev-only-bot-service-token';
const PASSWORD = 'a chaos password';

async function call<T>(
  url: string,
  init: { method?: string; token?: string; headers?: Record<string, string>; json?: unknown } = {},
): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Registers and logs in; returns the user id and an access token. */
export async function signUp(shop: Shop, email: string): Promise<{ userId: string; accessToken: string }> {
  const { id } = await call<{ id: string }>(`${shop.url('auth')}/auth/register`, {
    method: 'POST',
    json: { email, password: PASSWORD },
  });
  const { accessToken } = await call<{ accessToken: string }>(`${shop.url('auth')}/auth/login`, {
    method: 'POST',
    json: { email, password: PASSWORD },
  });
  return { userId: id, accessToken };
}

/** Two products of the admin's (whose e-mail is in ADMIN_EMAILS) in category `slug`. */
export async function createProducts(
  shop: Shop,
  adminEmail: string,
  prices: { cheap: number; dear: number },
  slug = 'toys',
): Promise<{ cheap: number; dear: number }> {
  const { accessToken } = await signUp(shop, adminEmail);
  const { items } = await call<{ items: { id: number; slug: string }[] }>(
    `${shop.url('catalog')}/categories`,
  );
  const categoryId = (items.find((category) => category.slug === slug) ?? items[0])?.id;
  if (categoryId === undefined) throw new Error('the catalog has no category');
  const create = (name: string, priceCents: number) =>
    call<{ id: number }>(`${shop.url('catalog')}/products`, {
      method: 'POST',
      token: accessToken,
      json: { name, priceCents, stock: 1_000_000_000, categoryId },
    });
  const [cheap, dear] = await Promise.all([
    create('Chaos Marble', prices.cheap),
    create('Chaos Castle', prices.dear),
  ]);
  return { cheap: cheap.id, dear: dear.id };
}

/** `count` buyers, each with a sandbox chat linked to their account. */
export async function createBuyers(shop: Shop, count: number): Promise<Buyer[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const chat = await shop.sandbox.createUser(`Buyer ${index + 1}`, 'en');
      const { userId, accessToken } = await signUp(shop, uniqueEmail(`chaos-buyer-${index + 1}`));
      await call(`${shop.url('auth')}/auth/me/telegram`, {
        method: 'PUT',
        token: accessToken,
        headers: { 'X-Service-Token': BOT_SERVICE_TOKEN },
        json: { telegramId: chat.id, languageCode: 'en' },
      });
      return { userId, accessToken, chatId: chat.id };
    }),
  );
}

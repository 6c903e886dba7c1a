/** bench:orders helpers: the real services as processes, and the users and product a run needs. */
import type { ChildProcess } from 'node:child_process';
import { fetchJson } from '@shop/testkit';
import { makeServiceToken } from '../scripts/lib/start-env.ts';
import { freePort, startProcess, stopProcess, waitFor } from './lib.ts';

/** Made for the run as `npm start` does: auth gets it, and the bench links chats with it. */
export const BOT_SERVICE_TOKEN = makeServiceToken();
const PASSWORD = 'a good bench password';

export interface Shop {
  url: Record<string, string>;
  env: Record<string, string>;
  children: ChildProcess[];
}

/** Starts `names` (services/<name>/src/main.ts) on free ports; every one sees every other's URL. */
export async function startShop(
  names: string[],
  extraEnv: Record<string, Record<string, string>>,
): Promise<Shop> {
  const shop: Shop = { url: {}, env: { BOT_SERVICE_TOKEN }, children: [] };
  await addServices(shop, names, extraEnv);
  return shop;
}

export async function addServices(
  shop: Shop,
  names: string[],
  extraEnv: Record<string, Record<string, string>>,
): Promise<void> {
  for (const name of names) {
    const port = await freePort();
    shop.url[name] = `http://127.0.0.1:${port}`;
    shop.env[`${name.toUpperCase()}_PORT`] = String(port);
    shop.env[`${name.toUpperCase()}_URL`] = shop.url[name];
  }
  for (const name of names)
    shop.children.push(startProcess(`services/${name}/src/main.ts`, { ...shop.env, ...extraEnv[name] }));
  await Promise.all(names.map((name) => waitFor(`${shop.url[name]}/ready`)));
}

export async function stopShop(shop: Shop): Promise<void> {
  await Promise.all(shop.children.map((child) => stopProcess(child)));
}

/** Registers a fresh account and logs it in; returns its access token and id. */
export async function freshUser(authUrl: string, email: string): Promise<{ token: string; id: string }> {
  const { id } = await fetchJson<{ id: string }>(`${authUrl}/auth/register`, {
    method: 'POST',
    body: { email, password: PASSWORD },
  });
  const { accessToken } = await fetchJson<{ accessToken: string }>(`${authUrl}/auth/login`, {
    method: 'POST',
    body: { email, password: PASSWORD },
  });
  return { token: accessToken, id };
}

/** Links a Telegram chat to the user, as the bot does; notification learns it from `user.telegram_linked`. */
export async function linkChat(authUrl: string, token: string, telegramId: number): Promise<void> {
  await fetchJson(`${authUrl}/auth/me/telegram`, {
    method: 'PUT',
    token,
    headers: { 'X-Service-Token': BOT_SERVICE_TOKEN },
    body: { telegramId, languageCode: 'en' },
  });
}

/** A fresh account made an admin as a merchant is: linked to a Telegram id in ADMIN_TELEGRAM_IDS. */
export async function freshAdmin(
  authUrl: string,
  email: string,
  telegramId: number,
): Promise<{ token: string; id: string }> {
  const user = await freshUser(authUrl, email);
  await linkChat(authUrl, user.token, telegramId);
  // The role is computed when a token is issued: the token from before the link says `user`.
  const { accessToken } = await fetchJson<{ accessToken: string }>(`${authUrl}/auth/login`, {
    method: 'POST',
    body: { email, password: PASSWORD },
  });
  return { token: accessToken, id: user.id };
}

/** A product whose stock no bench run can exhaust, in the first category. */
export async function benchProduct(catalogUrl: string, adminToken: string, run: string): Promise<number> {
  const { items } = await fetchJson<{ items: { id: number }[] }>(`${catalogUrl}/categories`);
  const categoryId = items[0]?.id;
  if (categoryId === undefined) throw new Error('the catalog has no category');
  const product = await fetchJson<{ id: number }>(`${catalogUrl}/products`, {
    method: 'POST',
    token: adminToken,
    body: { name: `bench ${run}`, priceCents: 500, stock: 2_000_000_000, categoryId },
  });
  return product.id;
}

export async function deleteProduct(catalogUrl: string, adminToken: string, id: number): Promise<void> {
  await fetch(`${catalogUrl}/products/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${adminToken}` },
  });
}

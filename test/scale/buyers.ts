/**
 * What the scale-out proof needs of the shop over its public HTTP API: buyers with a Telegram chat
 * linked (so notification has somewhere to write), products no run can sell out, and many orders
 * placed with bounded concurrency across several order instances.
 */
import { uniqueEmail } from '@shop/shared/testing';
import type { SandboxClient } from '../support/sandbox.ts';

/** auth's development default (services/auth/src/config.ts), which the shop processes run with. */
const BOT_SERVICE_TOKEN = 'dev-only-bot-service-token';
const PASSWORD = 'a good scale-out password';

export interface Buyer {
  id: string;
  token: string;
  chatId: number;
}

/** One JSON request; the caller says what the body is (these are the shop's own answers). */
async function call(
  url: string,
  init: { method?: string; token?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown }> {
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
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text}`);
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Registers and signs in a user; returns the id and access token. */
export async function signUp(authUrl: string, email = uniqueEmail('scale')): Promise<Omit<Buyer, 'chatId'>> {
  const user = (
    await call(`${authUrl}/auth/register`, { method: 'POST', json: { email, password: PASSWORD } })
  ).body as { id: string };
  const pair = (await call(`${authUrl}/auth/login`, { method: 'POST', json: { email, password: PASSWORD } }))
    .body as { accessToken: string };
  return { id: user.id, token: pair.accessToken };
}

/** A signed-in buyer whose account is linked to a new sandbox chat, as the bot links it. */
export async function linkedBuyer(authUrl: string, sandbox: SandboxClient, name: string): Promise<Buyer> {
  const [user, chat] = await Promise.all([signUp(authUrl), sandbox.createUser(name, 'en')]);
  await call(`${authUrl}/auth/me/telegram`, {
    method: 'PUT',
    token: user.token,
    headers: { 'X-Service-Token': BOT_SERVICE_TOKEN },
    json: { telegramId: chat.id, languageCode: 'en' },
  });
  return { ...user, chatId: chat.id };
}

/** A product with stock no run can exhaust, in the first category. */
export async function createProduct(
  catalogUrl: string,
  adminToken: string,
  name: string,
  priceCents: number,
): Promise<number> {
  const categories = (await call(`${catalogUrl}/categories`)).body as { items: { id: number }[] };
  const categoryId = categories.items[0]?.id;
  if (categoryId === undefined) throw new Error('the catalog has no category');
  const product = await call(`${catalogUrl}/products`, {
    method: 'POST',
    token: adminToken,
    json: { name, priceCents, stock: 1_000_000, categoryId },
  });
  return (product.body as { id: number }).id;
}

export interface PlannedOrder {
  buyer: Buyer;
  productId: number;
}

/**
 * Places every planned order with at most `concurrency` requests in flight, each to the next order
 * instance in turn and with an Idempotency-Key of its own; returns the order ids in plan order.
 * Any answer but 201 fails the run: a client of a healthy shop never sees one.
 */
export async function placeOrders(
  orderUrls: readonly string[],
  plan: readonly PlannedOrder[],
  concurrency: number,
): Promise<number[]> {
  const ids: number[] = new Array<number>(plan.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    for (let index = next++; index < plan.length && !failed; index = next++) {
      const { buyer, productId } = plan[index]!;
      const answer = await call(`${orderUrls[index % orderUrls.length]}/orders`, {
        method: 'POST',
        token: buyer.token,
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        json: { items: [{ productId, quantity: 1 }] },
      }).catch((error: unknown) => {
        // The others stop too, so the failure's log lines are still among the last ones kept.
        failed = true;
        throw error;
      });
      const { status } = answer;
      const body = answer.body as { id: number; status: string };
      if (status !== 201 || body.status !== 'pending')
        throw new Error(`order ${index}: ${status} ${JSON.stringify(body)}`);
      ids[index] = body.id;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

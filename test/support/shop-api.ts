/**
 * The shop's public HTTP API as the whole-shop suites (test/chaos, test/scale) use it to set up a
 * run: an admin's products, and buyers whose account is linked to a Telegram chat in the sandbox
 * (as the bot links it), so notification has a chat to tell each payment outcome to.
 */
import { uniqueEmail } from '@shop/testkit';
import type { Shop } from './shop.ts';

const PASSWORD = 'a good whole-shop password';
/** Each product's stock: large enough that no run sells one out (a refused order would be the stock's doing). */
export const PRODUCT_STOCK = 1_000_000_000;

/** What a JSON request to one of the shop's services carries besides its URL. */
export interface ApiRequest {
  method?: string;
  /** An access token, sent as `Authorization: Bearer`. */
  token?: string;
  headers?: Record<string, string>;
  /** The body, sent as JSON. */
  json?: unknown;
}

/** A signed-in user with a Telegram chat in the sandbox linked to their account. */
export interface Buyer {
  userId: string;
  accessToken: string;
  /** Their chat in the sandbox (the chat id is the Telegram user id). */
  chatId: number;
}

/**
 * One JSON request to the shop; throws with the method, URL, status and body on any answer but
 * 2xx. The body comes back parsed but unchecked: the caller says what it is (the shop's own answer).
 */
export async function callApi(
  url: string,
  request: ApiRequest = {},
): Promise<{ status: number; body: unknown }> {
  const method = request.method ?? 'GET';
  const res = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
      ...request.headers,
    },
    body: request.json === undefined ? undefined : JSON.stringify(request.json),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/**
 * The access token of the account linked to Telegram user `telegramId` (made if none), as the bot
 * gets it when that user writes to it: `POST /auth/telegram` with the bot's service token.
 */
export async function telegramToken(
  shop: Pick<Shop, 'url' | 'serviceToken'>,
  user: { id: number; languageCode?: string; firstName?: string },
): Promise<string> {
  const signedIn = await callApi(`${shop.url('auth')}/auth/telegram`, {
    method: 'POST',
    headers: { 'X-Service-Token': shop.serviceToken },
    json: { telegramId: user.id, languageCode: user.languageCode, firstName: user.firstName },
  });
  return (signedIn.body as { accessToken: string }).accessToken;
}

async function signIn(shop: Pick<Shop, 'url'>, email: string): Promise<string> {
  const login = await callApi(`${shop.url('auth')}/auth/login`, {
    method: 'POST',
    json: { email, password: PASSWORD },
  });
  return (login.body as { accessToken: string }).accessToken;
}

async function signUp(shop: Pick<Shop, 'url'>, email: string): Promise<Omit<Buyer, 'chatId'>> {
  const registered = await callApi(`${shop.url('auth')}/auth/register`, {
    method: 'POST',
    json: { email, password: PASSWORD },
  });
  return { userId: (registered.body as { id: string }).id, accessToken: await signIn(shop, email) };
}

/** Links the user's account to a Telegram chat as the bot does, with the bot's service token. */
async function linkChat(
  shop: Pick<Shop, 'url' | 'serviceToken'>,
  accessToken: string,
  telegramId: number,
): Promise<void> {
  await callApi(`${shop.url('auth')}/auth/me/telegram`, {
    method: 'PUT',
    token: accessToken,
    headers: { 'X-Service-Token': shop.serviceToken },
    json: { telegramId, languageCode: 'en' },
  });
}

/** A product to create: in the shop's currency and `createProducts`' category unless told otherwise. */
export interface NewProduct {
  name: string;
  priceCents: number;
  currency?: string;
  /** The slug of its category. */
  category?: string;
}

/**
 * Signs up an admin, made one as a merchant is (their account linked to `adminTelegramId`, which
 * must be in the shop's ADMIN_TELEGRAM_IDS), and has them create each product, with stock no run
 * can exhaust, in the category `categorySlug`; returns the ids by key.
 */
export async function createProducts<K extends string>(
  shop: Pick<Shop, 'url' | 'serviceToken'>,
  adminTelegramId: number,
  categorySlug: string,
  products: Record<K, NewProduct>,
): Promise<Record<K, number>> {
  const email = uniqueEmail('admin');
  await linkChat(shop, (await signUp(shop, email)).accessToken, adminTelegramId);
  // The role is computed when a token is issued: only a token from after the link says `admin`.
  const admin = { accessToken: await signIn(shop, email) };
  const catalog = shop.url('catalog');
  const categories = (await callApi(`${catalog}/categories`)).body as {
    items: { id: number; slug: string }[];
  };
  const categoryOf = (slug: string) => {
    const id = categories.items.find((category) => category.slug === slug)?.id;
    if (id === undefined) throw new Error(`the catalog has no category ${slug}`);
    return id;
  };
  const ids = await Promise.all(
    Object.entries<NewProduct>(products).map(async ([key, product]) => {
      const created = await callApi(`${catalog}/products`, {
        method: 'POST',
        token: admin.accessToken,
        json: {
          name: product.name,
          priceCents: product.priceCents,
          currency: product.currency,
          stock: PRODUCT_STOCK,
          categoryId: categoryOf(product.category ?? categorySlug),
        },
      });
      return [key, (created.body as { id: number }).id] as const;
    }),
  );
  // Object.fromEntries forgets the keys' type; they are exactly the keys of `products`.
  return Object.fromEntries(ids) as Record<K, number>;
}

/**
 * `count` new buyers ("Buyer 1"...), each signed up with an e-mail made from `label` and linked to
 * a new English sandbox chat through `PUT /auth/me/telegram` with the bot's service token.
 */
export async function createBuyers(
  shop: Pick<Shop, 'url' | 'sandbox' | 'serviceToken'>,
  count: number,
  label: string,
): Promise<Buyer[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const [user, chat] = await Promise.all([
        signUp(shop, uniqueEmail(`${label}-${index + 1}`)),
        shop.sandbox.createUser(`Buyer ${index + 1}`, 'en'),
      ]);
      await linkChat(shop, user.accessToken, chat.id);
      return { ...user, chatId: chat.id };
    }),
  );
}

import { initDataKey, loadConfig, signInitData } from '@shop/shared';
import { testDatabaseName } from '@shop/testkit';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authConfigSchema } from '../src/config.ts';
import { json, startAuth, type TestAuth } from './harness.ts';

const BOT_TOKEN = `${Math.floor(Math.random() * 1e9)}:mini-app-test-${crypto.randomUUID()}`;
const key = initDataKey(BOT_TOKEN);
const newTelegramId = () => 3_000_000_000 + Math.floor(Math.random() * 1e9);
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** initData as Telegram would give the Mini App of our bot to `user`. */
const initDataFor = (user: Record<string, unknown>, fields: Record<string, string> = {}, signWith = key) =>
  signInitData(
    { query_id: 'AAF9tQ', user: JSON.stringify(user), auth_date: String(nowSeconds()), ...fields },
    signWith,
  );

type Pair = { accessToken: string; refreshToken: string };

let auth: TestAuth;
beforeAll(async () => {
  auth = await startAuth({ TELEGRAM_BOT_TOKEN: BOT_TOKEN }, testDatabaseName('auth_mini_app'));
});
afterAll(() => auth.close());

const signIn = (initData: unknown) => json(auth.app, 'POST', '/auth/telegram/webapp', { initData });
const botSignIn = (telegramId: number) =>
  json(
    auth.app,
    'POST',
    '/auth/telegram',
    { telegramId },
    { 'X-Service-Token': auth.config.BOT_SERVICE_TOKEN },
  );
const userOf = async (res: Response) => decodeJwt(((await res.json()) as Pair).accessToken).sub;
const accounts = async (telegramId: number) =>
  auth.orm.em
    .fork()
    .execute<
      { id: string; language_code: string | null; first_name: string | null; username: string | null }[]
    >('select id, language_code, first_name, username from users where telegram_id = ?', [telegramId]);

describe('POST /auth/telegram/webapp', () => {
  it('makes the account on the first sign-in (201), then signs in to it (200): the one the bot gets for that id', async () => {
    const id = newTelegramId();
    const initData = initDataFor({ id, first_name: 'Мария', language_code: 'ru', username: 'maria' });
    const first = await signIn(initData);
    expect(first.status).toBe(201);
    const account = await userOf(first);
    expect(await accounts(id)).toEqual([
      { id: account, language_code: 'ru', first_name: 'Мария', username: 'maria' },
    ]);
    const again = await signIn(initData);
    expect(again.status).toBe(200);
    expect(await userOf(again)).toBe(account);
    const bot = await botSignIn(id);
    expect(bot.status).toBe(200);
    expect(await userOf(bot)).toBe(account);
  });

  it('signs in to the account the bot made for that Telegram id', async () => {
    const id = newTelegramId();
    const bot = await botSignIn(id);
    expect(bot.status).toBe(201);
    const res = await signIn(initDataFor({ id, first_name: 'Anna' }));
    expect(res.status).toBe(200);
    expect(await userOf(res)).toBe(await userOf(bot));
  });

  const forged: [string, (id: number) => string][] = [
    [
      'a wrong hash',
      (id) => initDataFor({ id, first_name: 'Eve' }).replace(/hash=[0-9a-f]{64}/, `hash=${'ab'.repeat(32)}`),
    ],
    ['a hash made with another bot’s token', (id) => initDataFor({ id }, {}, initDataKey('42:another-bot'))],
    [
      'an auth_date older than WEBAPP_AUTH_MAX_AGE_SECONDS',
      (id) => initDataFor({ id }, { auth_date: String(nowSeconds() - 3601) }),
    ],
    [
      'a user changed after signing',
      (id) => {
        const params = new URLSearchParams(initDataFor({ id: 777, first_name: 'Eve' }));
        params.set('user', JSON.stringify({ id, first_name: 'Eve' }));
        return params.toString();
      },
    ],
    [
      'no hash',
      (id) => {
        const params = new URLSearchParams(initDataFor({ id }));
        params.delete('hash');
        return params.toString();
      },
    ],
    ['no user', () => signInitData({ query_id: 'AAF9tQ', auth_date: String(nowSeconds()) }, key)],
  ];
  it.each(forged)(
    'refuses initData with %s: 401 invalid_init_data, and no account is made',
    async (_, make) => {
      const id = newTelegramId();
      const res = await signIn(make(id));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: 'invalid_init_data', message: expect.stringMatching(/initData/) as string },
      });
      expect(await accounts(id)).toEqual([]);
    },
  );

  it('refuses a body that is not initData with 400', async () => {
    for (const body of [{}, { initData: '' }, { initData: 42 }, { initData: 'x', telegramId: 1 }]) {
      const res = await json(auth.app, 'POST', '/auth/telegram/webapp', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('refuses initData replayed after that session signed out, and takes initData issued after', async () => {
    const id = newTelegramId();
    const initData = initDataFor({ id, first_name: 'Anna' });
    const first = await signIn(initData);
    expect(first.status).toBe(201);
    const { refreshToken } = (await first.json()) as Pair;
    expect((await json(auth.app, 'POST', '/auth/logout', { refreshToken })).status).toBe(204);

    const replayed = await signIn(initData);
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ error: { code: 'invalid_init_data' } });

    // The Mini App opened again: Telegram issues initData dated after the sign-out.
    const reopened = initDataFor({ id, first_name: 'Anna' }, { auth_date: String(nowSeconds() + 2) });
    expect((await signIn(reopened)).status).toBe(200);
    // Signing out with the already revoked token again does not move the sign-out on.
    const signedOutAt = async () =>
      (
        await auth.orm.em
          .fork()
          .execute<{ at: string | null }[]>('select signed_out_at as at from users where telegram_id = ?', [
            id,
          ])
      )[0]?.at;
    const before = await signedOutAt();
    expect(before).toEqual(expect.any(String));
    expect((await json(auth.app, 'POST', '/auth/logout', { refreshToken })).status).toBe(204);
    expect(await signedOutAt()).toEqual(before);
    expect((await signIn(reopened)).status).toBe(200);
  });
});

describe('POST /auth/telegram/webapp limits', () => {
  let limited: TestAuth;
  beforeAll(async () => {
    limited = await startAuth({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, AUTH_RATE_PER_CLIENT_PER_MINUTE: '2' });
  });
  afterAll(() => limited.close());

  it('limits sign-ins per Telegram user like the other sign-ins: 429 with Retry-After, other users unaffected', async () => {
    const send = (initData: string) => json(limited.app, 'POST', '/auth/telegram/webapp', { initData });
    const initData = initDataFor({ id: newTelegramId() });
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt++) statuses.push((await send(initData)).status);
    expect(statuses).toEqual([201, 200, 429]);
    const refused = await send(initData);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await send(initDataFor({ id: newTelegramId() }))).status).toBe(201);
  });
});

describe('TELEGRAM_BOT_TOKEN for auth', () => {
  const production = { NODE_ENV: 'production', BOT_SERVICE_TOKEN: 'a'.repeat(32) };
  it('is required in production, where Mini App sign-ins must work', () => {
    expect(() => loadConfig(authConfigSchema, production)).toThrow(
      /TELEGRAM_BOT_TOKEN=unset: required in production/,
    );
    expect(
      loadConfig(authConfigSchema, { ...production, TELEGRAM_BOT_TOKEN: BOT_TOKEN }).TELEGRAM_BOT_TOKEN,
    ).toBe(BOT_TOKEN);
  });
});

import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, testDatabaseName, uniqueEmail } from '@shop/testkit';
import { bearer, json, listen, registerAndLogin, send, startAuth, type TestAuth } from './harness.ts';

const newTelegramId = () => 1_000_000_000 + Math.floor(Math.random() * 1e9);
const adminId = newTelegramId();

// A database of its own: auth replicas on one database relay each other's events.
let auth: TestAuth;
beforeAll(async () => {
  auth = await startAuth({ ADMIN_TELEGRAM_IDS: String(adminId) }, testDatabaseName('auth_telegram'));
});
afterAll(() => auth.close());

type Pair = { accessToken: string; refreshToken: string; tokenType: string; expiresIn: number };

const signIn = (
  body: unknown,
  headers: Record<string, string> = { 'X-Service-Token': auth.config.BOT_SERVICE_TOKEN },
) => json(auth.app, 'POST', '/auth/telegram', body, headers);
const pairOf = async (res: Response) => (await res.json()) as Pair;
const userOf = (pair: Pair) => decodeJwt(pair.accessToken).sub!;
const me = async (pair: Pair) =>
  (await auth.app.request('/auth/me', { headers: bearer(pair.accessToken) })).json();
const row = async (telegramId: number) =>
  (
    await auth.orm.em.fork().execute<
      {
        id: string;
        email: string | null;
        password_hash: string | null;
        language_code: string | null;
        first_name: string | null;
        username: string | null;
      }[]
    >('select * from users where telegram_id = ?', [telegramId])
  )[0];

/** The events auth published about `userId` so far, waiting until there are `count`. */
const seen: { type: string; data: Record<string, unknown> }[] = [];
async function eventsAbout(userId: string, count: number) {
  await eventually(async () => {
    seen.push(...(await auth.published()));
    expect(seen.filter((event) => event.data.userId === userId)).toHaveLength(count);
  }, 5_000);
  return seen.filter((event) => event.data.userId === userId);
}

describe('POST /auth/telegram', () => {
  it('makes an account without e-mail on the first call (201) and signs in to the same one after (200)', async () => {
    const telegramId = newTelegramId();
    const first = await signIn({ telegramId, languageCode: 'en', firstName: 'Anna' });
    expect(first.status).toBe(201);
    const pair = await pairOf(first);
    expect(pair).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, refreshToken: expect.any(String) });
    expect(await me(pair)).toEqual({ id: userOf(pair), email: null, role: 'user', telegramId });

    const second = await signIn({ telegramId });
    expect(second.status).toBe(200);
    expect(userOf(await pairOf(second))).toBe(userOf(pair));
    // The refresh token works like any other.
    const refreshed = await json(auth.app, 'POST', '/auth/refresh', { refreshToken: pair.refreshToken });
    expect(refreshed.status).toBe(200);
  });

  it('makes one account when ten first sign-ins for one Telegram id arrive at once', async () => {
    const telegramId = newTelegramId();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => signIn({ telegramId, languageCode: 'ru' })),
    );
    expect(answers.map((res) => res.status).sort()).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
    ]);
    const users = new Set(await Promise.all(answers.map(async (res) => userOf(await pairOf(res)))));
    expect(users.size).toBe(1);
    // One account, announced once.
    const [userId] = [...users];
    expect((await eventsAbout(userId!, 1)).map((event) => event.type)).toEqual(['user.telegram_linked']);
  });

  it('refuses a caller without the bot service token with 403, and makes nothing', async () => {
    // Over a socket from an address of its own: wrong tokens lock the address they come from.
    const served = await listen(auth);
    try {
      const telegramId = newTelegramId();
      const from = '127.0.16.1';
      const refused: Record<string, string>[] = [
        {},
        { 'X-Service-Token': '' },
        { 'X-Service-Token': 'guess-guess-guess-guess' },
      ];
      for (const headers of refused) {
        const res = await send(served.url, 'POST', '/auth/telegram', { from, body: { telegramId }, headers });
        expect(res.status, JSON.stringify(headers)).toBe(403);
        expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
      }
      expect(await row(telegramId)).toBeUndefined();
      expect((await signIn({ telegramId })).status).toBe(201);
    } finally {
      await served.close();
    }
  });

  const invalid: [string, unknown, string][] = [
    ['no telegramId', { languageCode: 'en' }, 'telegramId'],
    ['telegramId 0', { telegramId: 0 }, 'telegramId'],
    ['a negative telegramId', { telegramId: -5 }, 'telegramId'],
    ['a fractional telegramId', { telegramId: 1.5 }, 'telegramId'],
    ['a telegramId as a string', { telegramId: '123' }, 'telegramId'],
    ['a telegramId beyond 2^53', { telegramId: 2 ** 53 }, 'telegramId'],
    ['a one-letter language', { telegramId: 1, languageCode: 'e' }, 'languageCode'],
    ['a 36-character language', { telegramId: 1, languageCode: `en-${'a'.repeat(33)}` }, 'languageCode'],
    ['a language that is no tag', { telegramId: 1, languageCode: 'en us' }, 'languageCode'],
    ['an empty first name', { telegramId: 1, firstName: '' }, 'firstName'],
    ['a 129-character first name', { telegramId: 1, firstName: 'a'.repeat(129) }, 'firstName'],
    ['a first name with a line break', { telegramId: 1, firstName: 'Anna\nAdmin' }, 'firstName'],
    ['a username with @', { telegramId: 1, username: '@anna' }, 'username'],
    ['a 33-character username', { telegramId: 1, username: 'a'.repeat(33) }, 'username'],
    ['an extra field', { telegramId: 1, role: 'admin' }, 'json'],
  ];
  it.each(invalid)('rejects %s with 400 naming the field', async (_label, body, field) => {
    const res = await signIn(body);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; details: { path: string }[] } };
    expect(error.code).toBe('validation_failed');
    expect(error.details.map((detail) => detail.path).join(' ')).toContain(field);
  });

  it('keeps the language and names from Telegram, updates them when they change, and tells notification of a new language or first name', async () => {
    const telegramId = newTelegramId();
    const pair = await pairOf(
      await signIn({ telegramId, languageCode: 'ru', firstName: 'Анна', username: 'anna_k' }),
    );
    expect(await row(telegramId)).toMatchObject({
      email: null,
      password_hash: null,
      language_code: 'ru',
      first_name: 'Анна',
      username: 'anna_k',
    });
    // Nothing known this time: everything stays.
    await signIn({ telegramId });
    expect(await row(telegramId)).toMatchObject({
      language_code: 'ru',
      first_name: 'Анна',
      username: 'anna_k',
    });
    // A new name, no username any more, a new language.
    await signIn({ telegramId, languageCode: 'en', firstName: 'Anna 🌸', username: null });
    expect(await row(telegramId)).toMatchObject({
      language_code: 'en',
      first_name: 'Anna 🌸',
      username: null,
    });

    const userId = userOf(pair);
    expect((await eventsAbout(userId, 2)).map((event) => event.data)).toEqual([
      { userId, telegramId, languageCode: 'ru', firstName: 'Анна' },
      { userId, telegramId, languageCode: 'en', firstName: 'Anna 🌸' },
    ]);
  });

  it('gives the admin role to the Telegram id named in ADMIN_TELEGRAM_IDS, and no other', async () => {
    const admin = await pairOf(await signIn({ telegramId: adminId }));
    expect(decodeJwt(admin.accessToken).role).toBe('admin');
    expect(await me(admin)).toMatchObject({ role: 'admin', email: null });
    const user = await pairOf(await signIn({ telegramId: newTelegramId() }));
    expect(decodeJwt(user.accessToken).role).toBe('user');
  });
});

describe('an account made by signing in with Telegram', () => {
  it('cannot be signed in to with a password, nor taken by someone who registers an e-mail later', async () => {
    const telegramId = newTelegramId();
    const owner = userOf(await pairOf(await signIn({ telegramId })));

    // Someone registers an e-mail: a new account of its own, which cannot take the Telegram link.
    const email = uniqueEmail('later');
    const intruder = await registerAndLogin(auth.app, email);
    expect(userOf(intruder as Pair)).not.toBe(owner);
    const link = await json(
      auth.app,
      'PUT',
      '/auth/me/telegram',
      { telegramId },
      bearer(intruder.accessToken),
    );
    expect(link.status).toBe(403);
    expect(userOf(await pairOf(await signIn({ telegramId })))).toBe(owner);

    // No e-mail, no password: a login can only fail, as for an unknown e-mail.
    const login = await json(auth.app, 'POST', '/auth/login', {
      email: `telegram-${telegramId}@example.test`,
      password: 'any password at all',
    });
    expect(login.status).toBe(401);
    expect(await row(telegramId)).toMatchObject({ id: owner, email: null, password_hash: null });
  });

  it('gives its link up when the same Telegram user logs in to an e-mail account from the chat; it keeps its orders but no way in', async () => {
    const telegramId = newTelegramId();
    const oneTap = await pairOf(await signIn({ telegramId, languageCode: 'ru' }));
    const email = uniqueEmail('moves');
    const account = await registerAndLogin(auth.app, email);

    // The bot links the chat after the login, as it does today.
    const linked = await json(
      auth.app,
      'PUT',
      '/auth/me/telegram',
      { telegramId, languageCode: 'ru', firstName: 'Anna' },
      { ...bearer(account.accessToken), 'X-Service-Token': auth.config.BOT_SERVICE_TOKEN },
    );
    expect(linked.status).toBe(200);
    expect(await linked.json()).toMatchObject({ email, telegramId });

    // From now on the Telegram id signs in to the e-mail account.
    const next = await pairOf(await signIn({ telegramId }));
    expect(await me(next)).toMatchObject({ email, telegramId });
    // The Telegram-only account is kept (its orders name it), but nothing signs in to it any more.
    const old = await auth.orm.em
      .fork()
      .execute<{ telegram_id: number | null }[]>('select telegram_id from users where id = ?', [
        userOf(oneTap),
      ]);
    expect(old).toEqual([{ telegram_id: null }]);
    expect(
      (await json(auth.app, 'POST', '/auth/refresh', { refreshToken: oneTap.refreshToken })).status,
    ).toBe(401);
    const emailUser = userOf(next);
    expect((await eventsAbout(emailUser, 1))[0]?.data).toEqual({
      userId: emailUser,
      telegramId,
      languageCode: 'ru',
      firstName: 'Anna',
    });
  });

  it('leaves the link of an e-mail account where it is: another e-mail account from the same chat is refused', async () => {
    const telegramId = newTelegramId();
    const link = (accessToken: string) =>
      json(
        auth.app,
        'PUT',
        '/auth/me/telegram',
        { telegramId },
        { ...bearer(accessToken), 'X-Service-Token': auth.config.BOT_SERVICE_TOKEN },
      );
    const first = await registerAndLogin(auth.app, uniqueEmail('first'));
    expect((await link(first.accessToken)).status).toBe(200);
    const second = await registerAndLogin(auth.app, uniqueEmail('second'));
    const refused = await link(second.accessToken);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'telegram_linked_elsewhere' } });
    expect(userOf(await pairOf(await signIn({ telegramId })))).toBe(userOf(first as Pair));
  });
});

describe('POST /auth/telegram/webapp without TELEGRAM_BOT_TOKEN', () => {
  it('answers 503 mini_app_unavailable: there is no key to check initData with', async () => {
    const res = await json(auth.app, 'POST', '/auth/telegram/webapp', {
      initData: 'user=%7B%22id%22%3A1%7D',
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'mini_app_unavailable' } });
  });
});

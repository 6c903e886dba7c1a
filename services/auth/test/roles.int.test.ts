import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@shop/shared';
import { testDatabaseName, uniqueEmail } from '@shop/testkit';
import { authConfigSchema } from '../src/config.ts';
import { hashRefreshToken } from '../src/domain/tokens.ts';
import { bearer, json, registerAndLogin, startAuth, type TestAuth } from './harness.ts';

const telegramId = () => 1_000_000_000 + Math.floor(Math.random() * 1e9);
const adminId = telegramId();
const dbName = testDatabaseName('auth_roles');

let auth: TestAuth;
beforeAll(async () => {
  auth = await startAuth({ ADMIN_TELEGRAM_IDS: `42, ${adminId}` }, dbName);
});
afterAll(() => auth.close());

const roleIn = (accessToken: string) => decodeJwt(accessToken).role;
const link = (app: TestAuth['app'], accessToken: string, id: number) =>
  json(
    app,
    'PUT',
    '/auth/me/telegram',
    { telegramId: id },
    {
      ...bearer(accessToken),
      'X-Service-Token': auth.config.BOT_SERVICE_TOKEN,
    },
  );
const refresh = async (app: TestAuth['app'], refreshToken: string) => {
  const res = await json(app, 'POST', '/auth/refresh', { refreshToken });
  if (res.status !== 200) throw new Error(`refresh failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { accessToken: string; refreshToken: string };
};

describe('who is an admin', () => {
  it('is never someone who merely registered an address: every new account is a user', async () => {
    const pair = await registerAndLogin(auth.app, `admin-${crypto.randomUUID().slice(0, 8)}@example.test`);
    expect(roleIn(pair.accessToken)).toBe('user');
  });

  it('refuses to start with ADMIN_EMAILS, pointing at what replaced it', () => {
    expect(() => loadConfig(authConfigSchema, { ADMIN_EMAILS: 'boss@example.test' })).toThrow(
      /ADMIN_TELEGRAM_IDS.*npm run admin -- grant <email>/,
    );
  });

  it('refuses an ADMIN_TELEGRAM_IDS entry that is not a Telegram user id', () => {
    for (const bad of ['@boss', '12, x', '-5', '1.5', '99999999999999999'])
      expect(() => loadConfig(authConfigSchema, { ADMIN_TELEGRAM_IDS: bad }), bad).toThrow(
        /ADMIN_TELEGRAM_IDS/,
      );
  });

  it('is the account linked to a Telegram id in ADMIN_TELEGRAM_IDS, from its next token on', async () => {
    const pair = await registerAndLogin(auth.app, uniqueEmail('tg-admin'));
    const linked = await link(auth.app, pair.accessToken, adminId);
    expect(await linked.json()).toMatchObject({ telegramId: adminId, role: 'admin' });
    const refreshed = await refresh(auth.app, pair.refreshToken);
    expect(roleIn(refreshed.accessToken)).toBe('admin');
    const me = await auth.app.request('/auth/me', { headers: bearer(refreshed.accessToken) });
    expect(await me.json()).toMatchObject({ role: 'admin' });
  });

  it('is not an account linked to a Telegram id the list does not name', async () => {
    const pair = await registerAndLogin(auth.app, uniqueEmail());
    expect(await (await link(auth.app, pair.accessToken, telegramId())).json()).toMatchObject({
      role: 'user',
    });
    expect(roleIn((await refresh(auth.app, pair.refreshToken)).accessToken)).toBe('user');
  });

  it('loses the role at the next refresh once its id leaves ADMIN_TELEGRAM_IDS and auth restarts', async () => {
    const id = telegramId();
    const before = await startAuth({ ADMIN_TELEGRAM_IDS: String(id) }, dbName);
    let pair: { accessToken: string; refreshToken: string };
    try {
      pair = await registerAndLogin(before.app, uniqueEmail('demoted'));
      await link(before.app, pair.accessToken, id);
      pair = await refresh(before.app, pair.refreshToken);
      expect(roleIn(pair.accessToken)).toBe('admin');
    } finally {
      await before.close();
    }
    const after = await startAuth({}, dbName);
    try {
      expect(roleIn((await refresh(after.app, pair.refreshToken)).accessToken)).toBe('user');
    } finally {
      await after.close();
    }
  });
});

describe('a refresh family', () => {
  const sql = <T>(query: string, params: unknown[]) =>
    auth.orm.em.fork().getConnection().execute<T[]>(query, params);
  const familyOf = async (refreshToken: string) => {
    const [row] = await sql<{ family_id: string }>(
      'select family_id from refresh_tokens where token_hash = ?',
      [hashRefreshToken(refreshToken)],
    );
    return row!.family_id;
  };

  it('keeps the end set at its first login through every rotation', async () => {
    let pair = await registerAndLogin(auth.app, uniqueEmail());
    const familyId = await familyOf(pair.refreshToken);
    for (let i = 0; i < 3; i++) pair = await refresh(auth.app, pair.refreshToken);
    const rows = await sql<{ expires_at: Date }>(
      'select expires_at from refresh_tokens where family_id = ?',
      [familyId],
    );
    const ends = rows.map((row) => new Date(row.expires_at).getTime());
    expect(ends).toHaveLength(4);
    expect(new Set(ends).size).toBe(1);
  });

  it('refuses a refresh REFRESH_TOKEN_TTL_DAYS after its first login, however often it was rotated', async () => {
    let pair = await registerAndLogin(auth.app, uniqueEmail());
    const familyId = await familyOf(pair.refreshToken);
    pair = await refresh(auth.app, pair.refreshToken);
    // The first login, moved back one minute past the family's lifetime.
    await sql(
      'update refresh_tokens set family_created_at = now() - make_interval(days => ?, mins => 1) where family_id = ?',
      [auth.config.REFRESH_TOKEN_TTL_DAYS, familyId],
    );
    const res = await json(auth.app, 'POST', '/auth/refresh', { refreshToken: pair.refreshToken });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_refresh_token' } });
  });
});

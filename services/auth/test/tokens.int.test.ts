import { decodeJwt, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  jwtAttacks,
  signValidToken,
  testDatabaseName,
  trustedKeyOf,
  uniqueEmail,
  type JwtAttack,
} from '@shop/testkit';
import { bearer, json, registerAndLogin, startAuth, type TestAuth } from './harness.ts';

let auth: TestAuth;
let token: string;
beforeAll(async () => {
  auth = await startAuth();
  token = (await registerAndLogin(auth.app, uniqueEmail())).accessToken;
});
afterAll(() => auth.close());

const me = (accessToken: string) => auth.app.request('/auth/me', { headers: bearer(accessToken) });

describe('GET /auth/me', () => {
  it('returns the signed-in user', async () => {
    const res = await me(token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: decodeJwt(token).sub,
      email: expect.any(String),
      role: 'user',
      telegramId: null,
    });
  });

  it('answers 401 with WWW-Authenticate when there is no token', async () => {
    const res = await auth.app.request('/auth/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer');
  });

  const forge = (make: JwtAttack['forge']) =>
    make(trustedKeyOf(auth.deps.keys, auth.deps.tokens), { sub: decodeJwt(token).sub!, role: 'user' });

  it('accepts a token forged like the attacks below with nothing wrong (their control)', async () => {
    expect((await me(await forge(signValidToken))).status).toBe(200);
  });

  it.for(jwtAttacks)('refuses $name with 401', async (attack) => {
    const res = await me(await forge(attack.forge));
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer');
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });
});

describe('signing keys', () => {
  it('publishes the public key with its kid and nothing private', async () => {
    const res = await auth.app.request('/.well-known/jwks.json');
    const { keys } = (await res.json()) as { keys: JWK[] };
    expect(keys[0]).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      use: 'sig',
      kid: auth.deps.keys.current.kid,
    });
    expect(keys.every((key) => key.d === undefined)).toBe(true);
  });

  it('makes one signing key when two replicas start on an empty database at once', async () => {
    const dbName = testDatabaseName('auth_keys');
    const replicas = await Promise.all([startAuth({}, dbName), startAuth({}, dbName)]);
    try {
      expect(replicas[0].deps.keys.current.kid).toBe(replicas[1].deps.keys.current.kid);
      expect(replicas[0].deps.keys.jwks.keys).toHaveLength(1);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });

  it('keeps the signing key across restarts: tokens stay valid', async () => {
    const restarted = await startAuth();
    try {
      expect(restarted.deps.keys.current.kid).toBe(auth.deps.keys.current.kid);
      expect((await restarted.app.request('/auth/me', { headers: bearer(token) })).status).toBe(200);
    } finally {
      await restarted.close();
    }
  });
});

describe('PUT /auth/me/telegram', () => {
  const serviceToken = () => ({ 'X-Service-Token': auth.config.BOT_SERVICE_TOKEN });
  const link = (accessToken: string, telegramId: number, headers = serviceToken()) =>
    json(auth.app, 'PUT', '/auth/me/telegram', { telegramId }, { ...bearer(accessToken), ...headers });
  const telegramId = () => 1_000_000_000 + Math.floor(Math.random() * 1e9);

  it('links the chat user and shows it in /auth/me; linking again is harmless', async () => {
    const { accessToken } = await registerAndLogin(auth.app, uniqueEmail());
    const id = telegramId();
    expect((await link(accessToken, id)).status).toBe(200);
    expect((await link(accessToken, id)).status).toBe(200);
    expect(await (await me(accessToken)).json()).toMatchObject({ telegramId: id });
  });

  it('announces the link as a user.telegram_linked event with the chat language', async () => {
    const { accessToken } = await registerAndLogin(auth.app, uniqueEmail());
    const id = telegramId();
    const res = await json(
      auth.app,
      'PUT',
      '/auth/me/telegram',
      { telegramId: id, languageCode: 'ru' },
      {
        ...bearer(accessToken),
        ...serviceToken(),
      },
    );
    const { id: userId } = (await res.json()) as { id: string };
    const events: { type: string; data: Record<string, unknown> }[] = [];
    await eventually(async () => {
      events.push(...(await auth.published()));
      expect(events.some((event) => event.data.userId === userId)).toBe(true);
    }, 5_000);
    expect(events.filter((event) => event.data.userId === userId)).toEqual([
      {
        ...events.find((event) => event.data.userId === userId),
        type: 'user.telegram_linked',
        data: { userId, telegramId: id, languageCode: 'ru' },
      },
    ]);
  });

  it('refuses callers without the bot service token', async () => {
    const { accessToken } = await registerAndLogin(auth.app, uniqueEmail());
    const res = await link(accessToken, telegramId(), { 'X-Service-Token': 'guess-guess-guess-guess' });
    expect(res.status).toBe(403);
  });

  it('never lets a Telegram account linked to one user be taken by another', async () => {
    const id = telegramId();
    const owner = await registerAndLogin(auth.app, uniqueEmail());
    const intruder = await registerAndLogin(auth.app, uniqueEmail());
    await link(owner.accessToken, id);
    const res = await link(intruder.accessToken, id);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'telegram_linked_elsewhere' } });
    const moved = await link(owner.accessToken, telegramId());
    expect(moved.status).toBe(409);
    expect(await moved.json()).toMatchObject({ error: { code: 'account_linked_elsewhere' } });
  });

  it('rejects a telegramId that is not a positive integer', async () => {
    const { accessToken } = await registerAndLogin(auth.app, uniqueEmail());
    for (const bad of [-1, 1.5, 0]) expect((await link(accessToken, bad)).status).toBe(400);
  });
});

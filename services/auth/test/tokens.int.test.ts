import { SignJWT, base64url, decodeJwt, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseName, uniqueEmail } from '@shop/shared/testing';
import { bearer, json, registerAndLogin, startAuth, type TestAuth } from './harness.ts';

let auth: TestAuth;
let token: string;
beforeAll(async () => {
  auth = await startAuth();
  token = (await registerAndLogin(auth.app, uniqueEmail())).accessToken;
});
afterAll(() => auth.close());

const me = (accessToken: string) => auth.app.request('/auth/me', { headers: bearer(accessToken) });
const tokenPart = (index: 0 | 1 | 2) => token.split('.')[index]!;
const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

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

  const attacks: [string, () => Promise<string>][] = [
    ['alg none', async () => `${encode({ alg: 'none', typ: 'at+jwt' })}.${tokenPart(1)}.`],
    [
      'HS256 signed with the public key',
      async () => {
        const jwk = auth.deps.keys.jwks.keys[0] as JWK & { kid: string };
        const claims = decodeJwt(token);
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: jwk.kid })
          .sign(base64url.decode(jwk.x!));
      },
    ],
    [
      'an expired token',
      async () =>
        new SignJWT({ role: 'user' })
          .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: auth.deps.keys.current.kid })
          .setSubject('someone')
          .setJti('j')
          .setIssuer('shop-auth')
          .setAudience('shop')
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
          .sign(auth.deps.keys.current.privateKey),
    ],
    ...(['iss', 'aud'] as const).map((claim): [string, () => Promise<string>] => [
      `a wrong ${claim}`,
      async () =>
        new SignJWT({ role: 'user', ...decodeJwt(token), [claim]: 'someone-else' })
          .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: auth.deps.keys.current.kid })
          .sign(auth.deps.keys.current.privateKey),
    ]),
    [
      'a tampered payload',
      async () => `${tokenPart(0)}.${encode({ ...decodeJwt(token), role: 'admin' })}.${tokenPart(2)}`,
    ],
    [
      'a token without exp',
      async () => {
        const { exp: _exp, ...rest } = decodeJwt(token);
        return new SignJWT(rest)
          .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: auth.deps.keys.current.kid })
          .sign(auth.deps.keys.current.privateKey);
      },
    ],
    [
      'a token signed by a key that is not ours, under our kid',
      async () => {
        const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
        return new SignJWT(decodeJwt(token))
          .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: auth.deps.keys.current.kid })
          .sign(privateKey);
      },
    ],
    ['garbage', async () => 'not.a.jwt'],
  ];
  it.each(attacks)('refuses %s with 401', async (_label, forge) => {
    const res = await me(await forge());
    expect(res.status).toBe(401);
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
    const deadline = Date.now() + 5_000;
    let events: { type: string; data: Record<string, unknown> }[] = [];
    while (Date.now() < deadline && !events.some((event) => event.data.userId === userId)) {
      events = [...events, ...(await auth.published())];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
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

import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail } from '@shop/testkit';
import { bearer, json, registerAndLogin, startAuth, type TestAuth } from './harness.ts';

let auth: TestAuth;
beforeAll(async () => {
  auth = await startAuth({ LOGIN_MAX_FAILURES: '5', LOGIN_LOCK_SECONDS: '30' });
});
afterAll(() => auth.close());

const login = (email: string, password: string) => json(auth.app, 'POST', '/auth/login', { email, password });

describe('POST /auth/login', () => {
  it('issues a 15-minute EdDSA access token and an opaque refresh token', async () => {
    const email = uniqueEmail();
    const pair = await registerAndLogin(auth.app, email);
    expect(decodeProtectedHeader(pair.accessToken)).toMatchObject({
      alg: 'EdDSA',
      typ: 'at+jwt',
      kid: expect.any(String),
    });
    const claims = decodeJwt(pair.accessToken);
    expect(claims).toMatchObject({
      role: 'user',
      iss: 'shop-auth',
      aud: 'shop',
      sub: expect.any(String),
      jti: expect.any(String),
    });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(pair.refreshToken).toMatch(/^rt_[\w-]{43}$/);
  });

  it('answers wrong password and unknown e-mail with the same 401', async () => {
    const email = uniqueEmail();
    await registerAndLogin(auth.app, email);
    const wrong = await login(email, 'not the password');
    const unknown = await login(uniqueEmail('nobody'), 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('locks the account with 429 and Retry-After after 5 failures, even for the right password', async () => {
    const email = uniqueEmail('locked');
    await registerAndLogin(auth.app, email);
    for (let i = 0; i < 5; i++) expect((await login(email, `wrong ${i}`)).status).toBe(401);
    const locked = await login(email, 'a good password');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('Retry-After'))).toBeGreaterThanOrEqual(29);
    expect(await locked.json()).toMatchObject({ error: { code: 'too_many_requests' } });
  });

  it('checks at most 5 passwords out of 50 parallel wrong guesses', async () => {
    const email = uniqueEmail('storm');
    await registerAndLogin(auth.app, email);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => login(email, `guess ${i}`)));
    const counts = results.reduce<Record<number, number>>(
      (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
      {},
    );
    expect(counts[401]).toBeLessThanOrEqual(5);
    expect(counts[429]).toBeGreaterThanOrEqual(45);
  });

  it('does not let bcrypt truncation accept a longer password', async () => {
    const email = uniqueEmail();
    const password = 'p'.repeat(72);
    await registerAndLogin(auth.app, email, password);
    expect((await login(email, `${password}extra`)).status).toBe(401);
  });

  it('rejects malformed logins with 400', async () => {
    expect((await json(auth.app, 'POST', '/auth/login', { email: 'nope' })).status).toBe(400);
    expect(
      (await json(auth.app, 'POST', '/auth/login', { email: 'a@b.test', password: 'x', otp: 1 })).status,
    ).toBe(400);
  });
});

describe('POST /auth/refresh and /auth/logout', () => {
  it('rotates the pair: the new tokens work and the old refresh token is spent', async () => {
    const first = await registerAndLogin(auth.app, uniqueEmail());
    const res = await json(auth.app, 'POST', '/auth/refresh', { refreshToken: first.refreshToken });
    expect(res.status).toBe(200);
    const second = (await res.json()) as { accessToken: string; refreshToken: string; tokenType: string };
    expect(second.tokenType).toBe('Bearer');
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await auth.app.request('/auth/me', { headers: bearer(second.accessToken) })).status).toBe(200);
  });

  it('revokes the whole family when a rotated refresh token is used again', async () => {
    const first = await registerAndLogin(auth.app, uniqueEmail());
    const rotated = (await (
      await json(auth.app, 'POST', '/auth/refresh', { refreshToken: first.refreshToken })
    ).json()) as {
      refreshToken: string;
    };
    const reuse = await json(auth.app, 'POST', '/auth/refresh', { refreshToken: first.refreshToken });
    expect(reuse.status).toBe(401);
    expect(await reuse.json()).toMatchObject({ error: { code: 'invalid_refresh_token' } });
    // The legitimate holder's newer token dies with the family.
    expect(
      (await json(auth.app, 'POST', '/auth/refresh', { refreshToken: rotated.refreshToken })).status,
    ).toBe(401);
  });

  it('lets two concurrent refreshes with one token produce at most one pair', async () => {
    const first = await registerAndLogin(auth.app, uniqueEmail());
    const results = await Promise.all(
      [1, 2].map(() => json(auth.app, 'POST', '/auth/refresh', { refreshToken: first.refreshToken })),
    );
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
  });

  it('answers 401 for an unknown refresh token and 400 for a missing one', async () => {
    expect((await json(auth.app, 'POST', '/auth/refresh', { refreshToken: 'rt_unknown' })).status).toBe(401);
    expect((await json(auth.app, 'POST', '/auth/refresh', {})).status).toBe(400);
  });

  it('logs out with 204, after which the refresh token is refused', async () => {
    const pair = await registerAndLogin(auth.app, uniqueEmail());
    const res = await json(auth.app, 'POST', '/auth/logout', { refreshToken: pair.refreshToken });
    expect(res.status).toBe(204);
    expect((await json(auth.app, 'POST', '/auth/refresh', { refreshToken: pair.refreshToken })).status).toBe(
      401,
    );
    expect((await json(auth.app, 'POST', '/auth/logout', { refreshToken: pair.refreshToken })).status).toBe(
      204,
    );
  });

  it('refuses a refresh token used as an access token', async () => {
    const pair = await registerAndLogin(auth.app, uniqueEmail());
    expect((await auth.app.request('/auth/me', { headers: bearer(pair.refreshToken) })).status).toBe(401);
  });
});

import { randomUUID } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAccessTokenVerifier,
  remoteJwks,
  requireAuth,
  requireRole,
  type AccessTokenVerifier,
} from '../src/auth/jwt.ts';
import { AppError, ServiceUnavailableError, type ErrorBody } from '../src/errors/index.ts';
import { createServiceApp } from '../src/http/app.ts';
import { jwtAttacks, testLogger, type TrustedKey } from '@shop/testkit';

const ISSUER = 'shop-auth';
const AUDIENCE = 'shop';
const KID = 'key-1';
const JWKS_PATH = '/.well-known/jwks.json';

interface RunningJwks {
  url: string;
  server: Server;
  close: () => Promise<void>;
}

async function startJwksServer(handler: RequestListener): Promise<RunningJwks> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url: `http://127.0.0.1:${port}`, server, close };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    sub: 'user-1',
    role: 'user',
    jti: randomUUID(),
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now(),
    exp: now() + 300,
    ...overrides,
  };
}

let privateKey: CryptoKey;
let publicJwk: JWK;
let jwks: RunningJwks;
let verify: AccessTokenVerifier;

function sign(
  payload: JWTPayload = claims(),
  header: Record<string, unknown> = {},
  key: CryptoKey = privateKey,
) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: KID, ...header })
    .sign(key);
}

async function expectUnauthorized(attempt: Promise<unknown>, message?: RegExp) {
  const error: unknown = await attempt.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).not.toBeInstanceOf(ServiceUnavailableError);
  expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
  if (message) expect((error as AppError).message).toMatch(message);
}

beforeAll(async () => {
  let publicKey: CryptoKey;
  ({ privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true }));
  publicJwk = await exportJWK(publicKey);
  const jwk = { ...publicJwk, kid: KID, alg: 'EdDSA', use: 'sig' };
  jwks = await startJwksServer((req, res) => {
    if (req.url !== JWKS_PATH) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  verify = createAccessTokenVerifier(remoteJwks(jwks.url), { issuer: ISSUER, audience: AUDIENCE });
});

afterAll(async () => {
  await jwks.close();
});

describe('createAccessTokenVerifier', () => {
  it('returns the claims of a valid access token', async () => {
    const payload = claims({ sub: 'user-42', role: 'admin' });
    const token = await sign(payload);

    const result = await verify(token);

    expect(result).toEqual({ sub: 'user-42', role: 'admin', jti: payload.jti, exp: payload.exp });
  });

  it('accepts a token that expired within the clock tolerance', async () => {
    const token = await sign(claims({ exp: now() - 2 }));

    const result = await verify(token);

    expect(result.sub).toBe('user-1');
  });

  it.for(jwtAttacks)('rejects $name', async (attack) => {
    const key: TrustedKey = { kid: KID, privateKey, publicJwk, issuer: ISSUER, audience: AUDIENCE };

    await expectUnauthorized(verify(await attack.forge(key, { sub: 'user-1', role: 'user' })));
  });

  it('rejects an expired token, saying so', async () => {
    const token = await sign(claims({ iat: now() - 600, exp: now() - 60 }));

    await expectUnauthorized(verify(token), /expired/);
  });

  it.each(['superuser', 'Admin', ''])('rejects a token whose role is %j', async (role) => {
    const token = await sign(claims({ role }));

    await expectUnauthorized(verify(token), /claims/);
  });

  it.each(['opaque-refresh-token', 'a.b.c', '', 'e30.e30.', `${base64url({ alg: 'EdDSA' })}.%%%.abc`])(
    'rejects the malformed token %j',
    async (token) => {
      await expectUnauthorized(verify(token));
    },
  );
});

describe('createAccessTokenVerifier when the key source fails', () => {
  it('answers 503 for auth when the JWKS server is gone', async () => {
    const gone = await startJwksServer((_req, res) => res.end());
    await gone.close();
    const verifyWithoutKeys = createAccessTokenVerifier(remoteJwks(gone.url), {
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const token = await sign();

    const error: unknown = await verifyWithoutKeys(token).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ status: 503, code: 'service_unavailable', dependency: 'auth' });
  });

  it('answers 503 for auth when the JWKS endpoint answers 500', async () => {
    const broken = await startJwksServer((_req, res) => res.writeHead(500).end('oops'));
    const verifyBroken = createAccessTokenVerifier(remoteJwks(broken.url), {
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const token = await sign();

    const error: unknown = await verifyBroken(token).catch((reason: unknown) => reason);
    await broken.close();

    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ status: 503, dependency: 'auth' });
  });

  it('answers 503 for auth when the JWKS endpoint does not answer in time', async () => {
    const hanging = await startJwksServer(() => undefined);
    const verifyHanging = createAccessTokenVerifier(remoteJwks(hanging.url), {
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const token = await sign();

    const error: unknown = await verifyHanging(token).catch((reason: unknown) => reason);
    await hanging.close();

    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ status: 503, dependency: 'auth' });
  });
});

describe('requireAuth and requireRole', () => {
  function buildApp(verifier: AccessTokenVerifier = verify) {
    const app = createServiceApp({ service: 'test', logger: testLogger(), readiness: [] });
    app.use('/me', requireAuth(verifier));
    app.get('/me', (c) => c.json({ sub: c.var.user.sub, role: c.var.user.role }));
    app.use('/admin/*', requireAuth(verifier), requireRole('admin'));
    app.get('/admin/stats', (c) => c.json({ sub: c.var.user.sub }));
    return app;
  }
  const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

  it('answers 401 with WWW-Authenticate: Bearer when there is no Authorization header', async () => {
    const app = buildApp();

    const response = await app.request('/me');

    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer');
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe('unauthorized');
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'bearer a.b.c', 'Bearer a.b.c extra'])(
    'answers 401 for the Authorization header %j',
    async (header) => {
      const app = buildApp();

      const response = await app.request('/me', { headers: { Authorization: header } });

      expect(response.status).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toBe('Bearer');
    },
  );

  it('answers 401 with WWW-Authenticate for a forged token', async () => {
    const app = buildApp();
    const other = await generateKeyPair('EdDSA');
    const forged = await sign(claims({ role: 'admin' }), {}, other.privateKey);

    const response = await app.request('/admin/stats', bearer(forged));

    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer');
    expect(((await response.json()) as ErrorBody).error.code).toBe('unauthorized');
  });

  it('puts the verified claims in c.var.user', async () => {
    const app = buildApp();

    const response = await app.request('/me', bearer(await sign(claims({ sub: 'user-7' }))));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: 'user-7', role: 'user' });
  });

  it('answers 403 forbidden when a user calls an admin route', async () => {
    const app = buildApp();

    const response = await app.request('/admin/stats', bearer(await sign(claims({ role: 'user' }))));

    expect(response.status).toBe(403);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe('forbidden');
    expect(body.error.message).toContain('admin');
  });

  it('lets an admin through to an admin route with the claims visible', async () => {
    const app = buildApp();

    const response = await app.request(
      '/admin/stats',
      bearer(await sign(claims({ sub: 'admin-1', role: 'admin' }))),
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: 'admin-1' });
  });

  it('answers 503 service_unavailable when the keys cannot be fetched', async () => {
    const gone = await startJwksServer((_req, res) => res.end());
    await gone.close();
    const app = buildApp(
      createAccessTokenVerifier(remoteJwks(gone.url), { issuer: ISSUER, audience: AUDIENCE }),
    );

    const response = await app.request('/me', bearer(await sign()));

    expect(response.status).toBe(503);
    expect(((await response.json()) as ErrorBody).error.code).toBe('service_unavailable');
  });
});

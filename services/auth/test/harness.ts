import { loadConfig } from '@shop/shared';
import { testDatabaseName, testKeyPrefix, testLogger } from '@shop/shared/testing';
import { authConfigSchema, type AuthConfig } from '../src/config.ts';
import { buildAuth } from '../src/wiring.ts';

/** A real auth service (PostgreSQL, Redis, bcrypt workers) on this run's own database and keys. */
export async function startAuth(env: Record<string, string> = {}, dbName = testDatabaseName('auth')) {
  const config: AuthConfig = loadConfig(authConfigSchema, {
    BCRYPT_COST: '4',
    BCRYPT_WORKERS: '1',
    LOGIN_LOCK_SECONDS: '30',
    ...env,
  });
  const auth = await buildAuth(config, testLogger(), {
    dbName,
    keyPrefix: testKeyPrefix(`auth:${crypto.randomUUID()}`),
  });
  const close = async () => {
    for (const closer of auth.closers) await closer.close();
  };
  return { ...auth, config, close };
}

export type TestAuth = Awaited<ReturnType<typeof startAuth>>;

export function json(app: TestAuth['app'], method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return app.request(path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function registerAndLogin(app: TestAuth['app'], email: string, password = 'a good password') {
  const registered = await json(app, 'POST', '/auth/register', { email, password });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${await registered.text()}`);
  const login = await json(app, 'POST', '/auth/login', { email, password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  return (await login.json()) as { accessToken: string; refreshToken: string };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

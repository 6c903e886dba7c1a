import { loadConfig } from '@shop/shared';
import { requestJson, startTestService, type TestServiceOptions } from '@shop/testkit';
import { authConfigSchema } from '../src/config.ts';
import { buildAuth } from '../src/wiring.ts';
import { relaxedAuthLimits } from './relaxed-limits.ts';

/**
 * The bot's service token for every auth this test file starts, as replicas of one shop share it.
 * Made at random: no value printed in the repository is ever accepted.
 */
export const SERVICE_TOKEN = crypto.randomUUID();

/**
 * A real auth service (PostgreSQL, Redis, RabbitMQ, bcrypt workers) in-process, named after
 * `options.suite`, with cheap bcrypt and relaxed limits unless `options.env` says otherwise.
 */
export async function startAuthForTest(options: Omit<TestServiceOptions, 'keys' | 'issuer'>) {
  const config = loadConfig(authConfigSchema, {
    ...process.env,
    BCRYPT_COST: '4',
    BCRYPT_WORKERS: '1',
    ...relaxedAuthLimits,
    BOT_SERVICE_TOKEN: SERVICE_TOKEN,
    ...options.env,
  });
  const auth = await startTestService('auth', options, (wiring, logger) => buildAuth(config, logger, wiring));
  return { ...auth, config };
}

export type StartedAuth = Awaited<ReturnType<typeof startAuthForTest>>;

/** A JSON request to an auth app, without a port. */
export const json = requestJson;

/** Signs `email` in: the user's real token pair. */
export async function login(app: StartedAuth['app'], email: string, password: string) {
  const res = await json(app, 'POST', '/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { accessToken: string; refreshToken: string };
}

/** Registers `email` and signs in: the user's real token pair. */
export async function registerAndLogin(app: StartedAuth['app'], email: string, password = 'a good password') {
  const registered = await json(app, 'POST', '/auth/register', { email, password });
  if (registered.status !== 201)
    throw new Error(`register failed: ${registered.status} ${await registered.text()}`);
  return login(app, email, password);
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

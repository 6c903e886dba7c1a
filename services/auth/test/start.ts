import { loadConfig } from '@shop/shared';
import { requestJson, startTestService, uniqueEmail, type TestServiceOptions } from '@shop/testkit';
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

/** A Telegram account for an admin: far above the ids the fake Telegram hands to test users. */
export const newAdminTelegramId = () => 8_000_000_000_000 + Math.floor(Math.random() * 1e9);

/**
 * Fresh real access tokens with role admin from `auth`, whose `ADMIN_TELEGRAM_IDS` names
 * `telegramId`: the first call signs an admin up and links that account, as the bot would.
 */
export function adminTokens(auth: Pick<StartedAuth, 'app' | 'config'>, telegramId: number) {
  const email = uniqueEmail('admin');
  const password = 'an admin password';
  const link = async () => {
    const { accessToken } = await registerAndLogin(auth.app, email, password);
    const res = await json(
      auth.app,
      'PUT',
      '/auth/me/telegram',
      { telegramId },
      { ...bearer(accessToken), 'X-Service-Token': auth.config.BOT_SERVICE_TOKEN },
    );
    if (!res.ok) throw new Error(`linking the admin's Telegram failed: ${res.status} ${await res.text()}`);
  };
  let linked: Promise<void> | undefined;
  return async () => {
    await (linked ??= link());
    return (await login(auth.app, email, password)).accessToken;
  };
}

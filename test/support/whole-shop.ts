import { testLogger, trustedKeyOf, uniqueEmail } from '@shop/testkit';
import type { Logger } from 'pino';
import { decodeJwt } from 'jose';
import { startHarness } from '../../bot/test/support/harness.ts';
import { createRig } from '../../services/notification/test/harness.ts';

/** What the suites need of a service's Hono app: requests without a port, and its route table. */
export interface ServiceApp {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
  routes: readonly { method: string; path: string }[];
}

export const serviceNames = ['auth', 'catalog', 'order', 'payment', 'notification'] as const;
export type ServiceName = (typeof serviceNames)[number];

export interface ShopUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/**
 * All five services, real and in-process, the way the bot suites run them (bot/test/support):
 * one real auth whose JWKS every other service verifies against, catalog, order and payment on
 * one event exchange of this suite, notification on its own rig, and the bot on a fake Telegram.
 * `logger` receives every service's and the bot's log lines.
 */
export async function startWholeShop(suite: string, logger: Logger = testLogger()) {
  const harness = await startHarness(suite, { logger });
  const rig = await createRig(suite);
  const notification = await rig.start(logger);
  const apps: Record<ServiceName, ServiceApp> = {
    auth: harness.auth.app,
    ...harness.shop.apps,
    notification: notification.app,
  };
  const auth = harness.auth.app;

  const post = async (path: string, body: unknown) => {
    const res = await auth.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
    return res;
  };

  /** A newly registered, signed-in shop user with real tokens from auth. */
  const signUp = async (label = 'user'): Promise<ShopUser> => {
    const email = uniqueEmail(label);
    const password = `pw ${crypto.randomUUID()}`;
    await post('/auth/register', { email, password });
    const pair = (await (await post('/auth/login', { email, password })).json()) as {
      accessToken: string;
      refreshToken: string;
    };
    return { id: decodeJwt(pair.accessToken).sub!, email, password, ...pair };
  };

  const close = async () => {
    await rig.close();
    await harness.close();
  };
  return {
    harness,
    rig,
    apps,
    signUp,
    /** A real access token with role admin. */
    adminToken: () => harness.auth.adminToken(),
    /** The key auth signs with: what the JWT attacks are forged from. */
    trustedKey: () => trustedKeyOf(harness.auth.deps.keys, harness.auth.deps.tokens),
    close,
  };
}

export type WholeShop = Awaited<ReturnType<typeof startWholeShop>>;

import { remoteJwks } from '@shop/shared';
import { testLogger } from '@shop/testkit';
import type { Logger } from 'pino';
import { startHarness } from '../../bot/test/support/harness.ts';
import { createRig } from '../../services/notification/test/harness.ts';

export type { ShopUser } from './in-process-shop.ts';

/** What the suites need of a service's Hono app: requests without a port, and its route table. */
export interface ServiceApp {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
  routes: readonly { method: string; path: string }[];
}

export const serviceNames = ['auth', 'catalog', 'order', 'payment', 'notification'] as const;
export type ServiceName = (typeof serviceNames)[number];

/**
 * All five services, real and in-process: the bot suites' shop (bot/test/support, over
 * test/support/in-process-shop.ts) whose services verify tokens with the real auth's JWKS, the
 * bot on a fake Telegram, and notification on its own rig with a fake Bot API, trusting that auth too. `logger`
 * receives every service's and the bot's log lines.
 */
export async function startWholeShop(suite: string, logger: Logger = testLogger()) {
  const harness = await startHarness(suite, { logger });
  const rig = await createRig(suite, {}, { keys: remoteJwks(harness.auth.url) });
  const notification = await rig.start(logger);
  const { shop } = harness;
  const apps: Record<ServiceName, ServiceApp> = { ...shop.apps, notification: notification.app };
  const close = async () => {
    await rig.close();
    await harness.close();
  };
  return {
    harness,
    rig,
    notification,
    apps,
    signUp: shop.signUp,
    adminToken: shop.adminToken,
    trustedKey: shop.trustedKey,
    close,
  };
}

export type WholeShop = Awaited<ReturnType<typeof startWholeShop>>;

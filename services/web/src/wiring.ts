import { connectRedis, createServiceKit, type Logger, type ServiceWiringOptions } from '@shop/shared';
import { createApp } from './app.ts';
import { authClient } from './clients/auth.ts';
import { catalogReader } from './clients/catalog.ts';
import { serviceCaller } from './clients/http.ts';
import { orderClient } from './clients/order.ts';
import { paymentClient } from './clients/payment.ts';
import type { WebConfig } from './config.ts';
import { loadStylesheet } from './routes/assets.ts';
import { createSessions } from './session/sessions.ts';
import { redisSessionStore } from './session/store.ts';

/**
 * Builds the storefront over the services it calls and Redis (its sessions); the caller serves it
 * and owns shutdown. Only the catalog keeps it out of `/ready`: without order, auth or Redis the
 * catalog can still be browsed.
 */
export async function buildWeb(config: WebConfig, logger: Logger, options: ServiceWiringOptions = {}) {
  const kit = createServiceKit({ service: 'web', config, logger, options });
  const call = (name: string, url: string) => serviceCaller(name, url, config.WEB_HTTP_TIMEOUT_MS);
  const catalog = call('catalog', config.CATALOG_URL);
  const order = call('order', config.ORDER_URL);
  const auth = call('auth', config.AUTH_URL);
  const payment = call('payment', config.PAYMENT_URL);
  kit.addReadiness(catalog.readiness(true));
  kit.addReadiness(order.readiness(false));
  kit.addReadiness(auth.readiness(false));
  kit.addReadiness(payment.readiness(false));
  const redis = await connectRedis(kit, {
    purpose: 'sessions',
    timeoutMs: 500,
    probeIntervalMs: 1_000,
    critical: false,
    downMessage:
      'redis unavailable or slow; signing in and the pages of an account answer 503 until it answers',
    upMessage: 'redis is back; sessions work again',
  });
  const production = config.NODE_ENV === 'production';
  const signIns = authClient(auth);
  const store = redisSessionStore(redis.client, {
    keyPrefix: redis.keyPrefix,
    ttlSeconds: config.WEB_SESSION_TTL_SECONDS,
  });
  const app = createApp({
    catalog: catalogReader(catalog),
    auth: signIns,
    orders: orderClient(order),
    payments: paymentClient(payment),
    sessions: createSessions({
      store,
      auth: signIns,
      production,
      ttlSeconds: config.WEB_SESSION_TTL_SECONDS,
    }),
    stylesheet: loadStylesheet(),
    logger,
    readiness: kit.readiness,
    production,
    publicOrigin: config.WEB_PUBLIC_ORIGIN,
    trustProxyHops: config.WEB_TRUST_PROXY_HOPS,
    pageCacheMs: config.WEB_PAGE_CACHE_MS,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  return { app, sessionStore: store, closers: kit.closers };
}

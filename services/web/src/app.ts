import {
  AppError,
  clientAddress,
  createServiceApp,
  pageSecurityHeaders,
  ServiceUnavailableError,
  type Logger,
  type ReadinessCheck,
} from '@shop/shared';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AuthClient } from './clients/auth.ts';
import type { CatalogReader } from './clients/catalog.ts';
import { ServiceAnswer } from './clients/http.ts';
import { compressAnswers } from './compression.ts';
import type { OrderClient } from './clients/order.ts';
import { registerAccountRoutes } from './routes/account-routes.tsx';
import { registerAssets, type Stylesheet } from './routes/assets.ts';
import { toSignIn } from './routes/forms.ts';
import { PageCache } from './routes/page-cache.ts';
import { registerPages, renderMessage } from './routes/pages.tsx';
import { registerShopRoutes } from './routes/shop-routes.tsx';
import { contentSecurityPolicy } from './security.ts';
import { isSameOrigin } from './session/same-origin.ts';
import type { Sessions } from './session/sessions.ts';

export interface WebAppOptions {
  catalog: CatalogReader;
  auth: AuthClient;
  orders: OrderClient;
  sessions: Sessions;
  stylesheet: Stylesheet;
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  /** Production frames the pages only in Telegram (see security.ts). */
  production: boolean;
  /** The origin a request that changes something must come from; unset, the request's own. */
  publicOrigin?: string;
  /** Proxies in front of this part whose X-Forwarded-For is believed. */
  trustProxyHops?: number;
  /** How long the catalog's and the products' pages are answered from memory once rendered; 0: never. */
  pageCacheMs?: number;
  bodyLimitBytes?: number;
}

const wantsJson = (c: Context) => (c.req.header('Content-Type') ?? '').startsWith('application/json');

/**
 * The storefront: server-rendered pages and their assets, all from this origin, under a strict
 * Content-Security-Policy, with `/health`, `/ready` and `/metrics` as every part has them, text
 * compressed as the browser accepts it. Errors are pages too. A request that changes anything
 * must come from the storefront's own pages (`isSameOrigin`), else 403. Builds no connections:
 * everything arrives in the options.
 */
export function createApp(options: WebAppOptions) {
  const { catalog, stylesheet, logger, readiness, production, bodyLimitBytes } = options;
  const app = createServiceApp({
    service: 'web',
    logger,
    readiness,
    bodyLimitBytes,
    securityHeaders: pageSecurityHeaders(contentSecurityPolicy({ production })),
    docs: false,
  });
  app.use(compressAnswers());
  app.use(async (c, next) => {
    if (isSameOrigin(c, options.publicOrigin)) return next();
    if (wantsJson(c)) {
      return c.json({ error: { code: 'forbidden', message: 'Cross-site requests are refused' } }, 403);
    }
    return renderMessage(c, stylesheet.href, 'forbidden', 403);
  });
  registerAssets(app, { catalog, stylesheet });
  registerPages(app, {
    catalog,
    stylesheet: stylesheet.href,
    pages: new PageCache({ ttlMs: options.pageCacheMs ?? 0 }),
  });
  registerAccountRoutes(app, {
    auth: options.auth,
    sessions: options.sessions,
    stylesheet: stylesheet.href,
    callerOf: (c) => ({ address: clientAddress(c, options.trustProxyHops ?? 0) }),
  });
  registerShopRoutes(app, {
    orders: options.orders,
    sessions: options.sessions,
    stylesheet: stylesheet.href,
  });

  app.notFound((c) => renderMessage(c, stylesheet.href, 'notFound', 404));
  app.onError((error, c) => {
    if (error instanceof ServiceUnavailableError) {
      c.var.log.warn({ err: error.cause ?? error }, error.message);
      c.header('Retry-After', '5');
      if (wantsJson(c)) return c.json(error.toBody(), 503);
      return renderMessage(c, stylesheet.href, 'unavailable', 503);
    }
    // A service refused the session's access token (revoked, or its key gone): sign in again.
    if (error instanceof ServiceAnswer && error.status === 401)
      return toSignIn(c, new URL(c.req.url).pathname);
    const status = error instanceof AppError || error instanceof HTTPException ? error.status : 500;
    if (status >= 500) c.var.log.error({ err: error }, 'unhandled error');
    return renderMessage(
      c,
      stylesheet.href,
      status === 404 ? 'notFound' : 'error',
      status >= 500 ? 500 : status,
    );
  });
  return app;
}

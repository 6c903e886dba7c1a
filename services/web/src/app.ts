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
import type { PaymentClient } from './clients/payment.ts';
import { registerAccountRoutes } from './routes/account-routes.tsx';
import { registerAssets, type Stylesheet } from './routes/assets.ts';
import { toSignIn } from './routes/forms.ts';
import { PageCache } from './routes/page-cache.ts';
import { registerPages, renderMessage } from './routes/pages.tsx';
import { registerPayRoutes } from './routes/pay-routes.ts';
import { registerShopRoutes } from './routes/shop-routes.tsx';
import { contentSecurityPolicy } from './security.ts';
import { carriesCsrfToken } from './session/csrf.ts';
import { isSameOrigin, SAFE } from './session/same-origin.ts';
import type { Sessions } from './session/sessions.ts';

export interface WebAppOptions {
  catalog: CatalogReader;
  auth: AuthClient;
  orders: OrderClient;
  payments: PaymentClient;
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
  const frameDeps = { stylesheet: stylesheet.href, sessions: options.sessions };
  const refuse = (c: Context, message: string) =>
    wantsJson(c)
      ? c.json({ error: { code: 'forbidden', message } }, 403)
      : renderMessage(c, frameDeps, 'forbidden', 403);
  app.use(compressAnswers());
  app.use(async (c, next) => {
    if (isSameOrigin(c, options.publicOrigin)) return next();
    return refuse(c, 'Cross-site requests are refused');
  });
  // A Mini App's session cookie goes with cross-site requests too (SameSite=None): a request that
  // changes something under it must also carry the session's CSRF token. Signing in needs none:
  // it replaces the session with the one Telegram's initData proves (and the origin is checked).
  app.use(async (c, next) => {
    if (SAFE.has(c.req.method) || c.req.path === '/session/telegram') return next();
    const session = await options.sessions.current(c);
    if (session?.csrfToken === undefined || (await carriesCsrfToken(c, session.csrfToken))) return next();
    return refuse(c, 'This request did not carry the session’s CSRF token');
  });
  registerAssets(app, { catalog, stylesheet });
  registerPages(app, { catalog, ...frameDeps, pages: new PageCache({ ttlMs: options.pageCacheMs ?? 0 }) });
  registerAccountRoutes(app, {
    auth: options.auth,
    ...frameDeps,
    callerOf: (c) => ({ address: clientAddress(c, options.trustProxyHops ?? 0) }),
  });
  registerShopRoutes(app, { orders: options.orders, ...frameDeps });
  registerPayRoutes(app, { orders: options.orders, payments: options.payments, sessions: options.sessions });

  app.notFound((c) => renderMessage(c, frameDeps, 'notFound', 404));
  app.onError((error, c) => {
    if (error instanceof ServiceUnavailableError) {
      c.var.log.warn({ err: error.cause ?? error }, error.message);
      c.header('Retry-After', '5');
      if (wantsJson(c)) return c.json(error.toBody(), 503);
      return renderMessage(c, frameDeps, 'unavailable', 503);
    }
    // A service refused the session's access token (revoked, or its key gone): sign in again.
    if (error instanceof ServiceAnswer && error.status === 401)
      return toSignIn(c, new URL(c.req.url).pathname);
    const status = error instanceof AppError || error instanceof HTTPException ? error.status : 500;
    if (status >= 500) c.var.log.error({ err: error }, 'unhandled error');
    return renderMessage(c, frameDeps, status === 404 ? 'notFound' : 'error', status >= 500 ? 500 : status);
  });
  return app;
}

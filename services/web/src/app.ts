import {
  AppError,
  createServiceApp,
  pageSecurityHeaders,
  ServiceUnavailableError,
  type Logger,
  type ReadinessCheck,
} from '@shop/shared';
import { HTTPException } from 'hono/http-exception';
import type { CatalogReader } from './clients/catalog.ts';
import { registerAssets, type Stylesheet } from './routes/assets.ts';
import { registerPages, renderMessage } from './routes/pages.tsx';
import { contentSecurityPolicy } from './security.ts';

export interface WebAppOptions {
  catalog: CatalogReader;
  stylesheet: Stylesheet;
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  /** Production frames the pages only in Telegram (see security.ts). */
  production: boolean;
  bodyLimitBytes?: number;
}

/**
 * The storefront: server-rendered pages and their assets, all from this origin, under a strict
 * Content-Security-Policy, with `/health`, `/ready` and `/metrics` as every part has them. Errors
 * are pages too. Builds no connections: everything arrives in the options.
 */
export function createApp({
  catalog,
  stylesheet,
  logger,
  readiness,
  production,
  bodyLimitBytes,
}: WebAppOptions) {
  const app = createServiceApp({
    service: 'web',
    logger,
    readiness,
    bodyLimitBytes,
    securityHeaders: pageSecurityHeaders(contentSecurityPolicy({ production })),
    docs: false,
  });
  registerAssets(app, { catalog, stylesheet });
  registerPages(app, { catalog, stylesheet: stylesheet.href });

  app.notFound((c) => renderMessage(c, stylesheet.href, 'notFound', 404));
  app.onError((error, c) => {
    if (error instanceof ServiceUnavailableError) {
      c.var.log.warn({ err: error.cause ?? error }, error.message);
      c.header('Retry-After', '5');
      return renderMessage(c, stylesheet.href, 'unavailable', 503);
    }
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

import { createServiceKit, type Logger, type ServiceWiringOptions } from '@shop/shared';
import { createApp } from './app.ts';
import { catalogReader } from './clients/catalog.ts';
import { serviceCaller } from './clients/http.ts';
import type { WebConfig } from './config.ts';
import { loadStylesheet } from './routes/assets.ts';

/**
 * Builds the storefront over the services it calls; the caller serves it and owns shutdown. Only
 * the catalog keeps it out of `/ready`: without order or auth the catalog can still be browsed.
 */
export function buildWeb(config: WebConfig, logger: Logger, options: ServiceWiringOptions = {}) {
  const kit = createServiceKit({ service: 'web', config, logger, options });
  const call = (name: string, url: string) => serviceCaller(name, url, config.WEB_HTTP_TIMEOUT_MS);
  const catalog = call('catalog', config.CATALOG_URL);
  kit.addReadiness(catalog.readiness(true));
  kit.addReadiness(call('order', config.ORDER_URL).readiness(false));
  kit.addReadiness(call('auth', config.AUTH_URL).readiness(false));
  const app = createApp({
    catalog: catalogReader(catalog),
    stylesheet: loadStylesheet(),
    logger,
    readiness: kit.readiness,
    production: config.NODE_ENV === 'production',
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  return Promise.resolve({ app, closers: kit.closers });
}

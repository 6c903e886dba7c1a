import { baseConfigSchema, loadConfigOrExit, ports } from '@shop/shared';
import { z } from 'zod';

export const webConfigSchema = baseConfigSchema.extend({
  WEB_PORT: ports.WEB_PORT,
  /** Products, categories and photos. */
  CATALOG_URL: z.url().default('http://127.0.0.1:3002'),
  /** Carts and orders (the pages for them come next; `/ready` reports it already). */
  ORDER_URL: z.url().default('http://127.0.0.1:3003'),
  /** A call to another service slower than this counts as that service being down. */
  WEB_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
});

export type WebConfig = z.infer<typeof webConfigSchema>;

export const loadWebConfig = () => loadConfigOrExit(webConfigSchema);

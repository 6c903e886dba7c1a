import { baseConfigSchema, loadConfigOrExit, ports } from '@shop/shared';
import { z } from 'zod';

export const webConfigSchema = baseConfigSchema.extend({
  WEB_PORT: ports.WEB_PORT,
  /** Products, categories and photos. */
  CATALOG_URL: z.url().default('http://127.0.0.1:3002'),
  /** Carts and orders. */
  ORDER_URL: z.url().default('http://127.0.0.1:3003'),
  /** Invoice links for the Mini App's Pay. */
  PAYMENT_URL: z.url().default('http://127.0.0.1:3004'),
  /**
   * The storefront's own origin as browsers see it (`https://shop.example`): a request that
   * changes something must come from it. Unset: the origin the request was addressed to.
   */
  WEB_PUBLIC_ORIGIN: z
    .url()
    .transform((url) => new URL(url).origin)
    .optional(),
  /** Proxies in front of the storefront whose X-Forwarded-For entries are believed (0: the socket's address). */
  WEB_TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** How long a signed-in browser's session lives: as long as auth's refresh token (REFRESH_TOKEN_TTL_DAYS). */
  WEB_SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(365 * 86_400)
    .default(30 * 86_400),
  /**
   * How long the catalog's and the products' pages are answered from memory once rendered (what a
   * buyer sees of the catalog is at most this much older than it); 0 reads the catalog every time.
   */
  WEB_PAGE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /** A call to another service slower than this counts as that service being down. */
  WEB_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
});

export type WebConfig = z.infer<typeof webConfigSchema>;

export const loadWebConfig = () => loadConfigOrExit(webConfigSchema);

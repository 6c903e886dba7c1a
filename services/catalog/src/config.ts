import { baseConfigSchema, loadConfigOrExit, ports } from '@shop/shared';
import { z } from 'zod';

export const catalogConfigSchema = baseConfigSchema.extend({
  CATALOG_PORT: ports.CATALOG_PORT,
  /** Lifetime of a cached answer in Redis. 0 turns caching off: every read goes to PostgreSQL. */
  CATALOG_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** A Redis command slower than this counts as an outage: reads go to PostgreSQL until Redis answers again. */
  CATALOG_CACHE_TIMEOUT_MS: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Lifetime of an answer in the in-process cache in front of Redis (a safety net: pub/sub invalidates it first). 0 turns it off. */
  CATALOG_LOCAL_CACHE_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  /** How often each replica compares PostgreSQL's cache version with Redis's (repairs a bump lost to a crash or an outage). */
  CATALOG_VERSION_SYNC_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** Admins are alerted (`stock.low`) when a product's available stock falls to this or to 0. */
  LOW_STOCK_THRESHOLD: z.coerce.number().int().min(0).max(1_000_000).default(3),
});

export type CatalogConfig = z.infer<typeof catalogConfigSchema>;

export const loadCatalogConfig = () => loadConfigOrExit(catalogConfigSchema);

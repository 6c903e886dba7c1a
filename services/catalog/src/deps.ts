import type { EntityManager } from '@mikro-orm/postgresql';
import type { ResponseCache } from './cache/response-cache.ts';
import type { CatalogReads } from './store/catalog-reads.ts';

/** Everything the catalog's routes need, injected so tests build it over real servers. */
export interface CatalogDeps {
  /** The root entity manager; each use case forks its own. */
  em: EntityManager;
  reads: CatalogReads;
  cache: ResponseCache;
  /** Tells every replica's cache that a write committed with this version. */
  invalidate: (version: number) => Promise<void>;
}

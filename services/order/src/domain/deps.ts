import type { ServiceEntityManager } from '@shop/shared';
import type { CatalogClient } from '../clients/catalog.ts';

/** Everything the order use cases need, injected so tests can build it over real servers. */
export interface OrderDeps {
  /** The root entity manager; each use case forks its own. */
  em: ServiceEntityManager;
  catalog: CatalogClient;
  /** How long a used Idempotency-Key keeps answering with its first response. */
  idempotencyTtlMs: number;
}

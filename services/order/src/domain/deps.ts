import type { ServiceEntityManager } from '@shop/shared';
import type { CatalogClient } from '../clients/catalog.ts';

/** Everything the order use cases need, injected so tests can build it over real servers. */
export interface OrderDeps {
  /** The root entity manager; each use case forks its own. */
  em: ServiceEntityManager;
  catalog: CatalogClient;
  /** How long a used Idempotency-Key keeps answering with its first response. */
  idempotencyTtlMs: number;
  /**
   * Called once an order and its event have committed: wakes this process's outbox relay. The
   * order statement sends no NOTIFY (measured: a fifth of the throughput of POST /orders); the
   * relays of other replicas still find the row by polling, should this one not be running.
   */
  eventsCommitted: () => void;
}

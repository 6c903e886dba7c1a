import type { ServiceEntityManager } from '@shop/shared';
import type { CatalogClient } from './clients/catalog.ts';
import type { OrderWriter } from './store/order-writer.ts';

/** Everything the order use cases need, injected so tests can build it over real servers. */
export interface OrderDeps {
  /** The root entity manager; each use case forks its own. */
  em: ServiceEntityManager;
  catalog: CatalogClient;
  /** How long a used Idempotency-Key keeps answering with its first response. */
  idempotencyTtlMs: number;
  /**
   * Writes orders, many to a statement when they come together. Wakes this process's outbox
   * relay after each commit: the order statement sends no NOTIFY (it would cost a fifth of the
   * throughput of POST /orders); the relays of other replicas still find the rows by polling,
   * should this one not be running.
   */
  orders: OrderWriter;
  /** The time the statistics count their days from. */
  now: () => Date;
}

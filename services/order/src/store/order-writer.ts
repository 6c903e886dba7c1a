import { setImmediate as nextTurn } from 'node:timers/promises';
import { isDatabaseUnavailable, type ServiceEntityManager } from '@shop/shared';
import { insertOrders, type OrderDraft } from './insert-order.ts';
import type { StoredResponse } from './idempotency-keys.ts';

export interface OrderWriter {
  /**
   * Writes the order with its items, event and key; resolves to the response stored for it, or
   * to `undefined` (nothing written) when a committed request holds its Idempotency-Key.
   */
  write(draft: OrderDraft): Promise<StoredResponse | undefined>;
}

export interface OrderWriterOptions {
  /** The root entity manager; each statement forks its own. */
  em: ServiceEntityManager;
  /** Called after each statement that placed orders: wakes the outbox relay. */
  committed: () => void;
  /** Orders written by one statement at most (default 64). */
  maxBatch?: number;
}

interface Waiting {
  draft: OrderDraft;
  resolve(written: StoredResponse | undefined): void;
  reject(error: unknown): void;
}

/**
 * What a draft holds that no other draft of the same statement may hold (see `insertOrders`):
 * its user's key, and its user's cart.
 */
const keysOf = ({ userId, claim, fromCart }: OrderDraft) => [
  ...(claim ? [`key ${userId} ${claim.key}`] : []),
  ...(fromCart ? [`cart ${userId}`] : []),
];

/**
 * Group commit for orders: the orders placed while a statement is on its way wait for it and
 * then go together in the next one. Many buyers at once cost a few statements and commits
 * instead of one each; an order placed alone is written at once. When a statement fails for a
 * reason other than a lost database, each of its orders is written again on its own, so one bad
 * order fails only itself. Statements run one at a time: one that waits for a key another
 * replica's statement holds keeps this process's next orders waiting as long (one statement).
 */
export function createOrderWriter({ em, committed, maxBatch = 64 }: OrderWriterOptions): OrderWriter {
  const waiting: Waiting[] = [];
  let writing = false;

  /** The next batch: the first `maxBatch` waiting orders, a key's or a cart's second request held back. */
  const takeBatch = (): Waiting[] => {
    const batch: Waiting[] = [];
    const held: Waiting[] = [];
    const keys = new Set<string>();
    for (const item of waiting) {
      const own = keysOf(item.draft);
      if (batch.length >= maxBatch || own.some((key) => keys.has(key))) {
        held.push(item);
        continue;
      }
      for (const key of own) keys.add(key);
      batch.push(item);
    }
    waiting.splice(0, waiting.length, ...held);
    return batch;
  };

  const writeBatch = async (batch: Waiting[]): Promise<void> => {
    let results: (StoredResponse | undefined)[];
    try {
      results = await insertOrders(
        em.fork(),
        batch.map((item) => item.draft),
      );
    } catch (error) {
      if (batch.length === 1 || isDatabaseUnavailable(error)) {
        for (const item of batch) item.reject(error);
        return;
      }
      for (const item of batch) await writeBatch([item]);
      return;
    }
    if (results.some((result) => result !== undefined)) committed();
    batch.forEach((item, index) => item.resolve(results[index]));
  };

  const drain = async () => {
    writing = true;
    try {
      // Requests that got their catalog answer together, or arrived together, come in one turn:
      // let them all in first.
      await nextTurn();
      while (waiting.length > 0) await writeBatch(takeBatch());
    } finally {
      writing = false;
    }
  };

  return {
    write(draft) {
      return new Promise((resolve, reject) => {
        waiting.push({ draft, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}

import type { EntityManager } from '@mikro-orm/postgresql';

/** The cache generation kept in PostgreSQL; see `CatalogState` in db/entities.ts. */
export interface CacheGeneration {
  epoch: string;
  version: number;
}

/** Creates the single state row if this is a new database; safe when replicas start together. */
export async function ensureCatalogState(em: EntityManager): Promise<CacheGeneration> {
  await em.execute(
    `insert into catalog_state (id, epoch, version) values (1, ?, 1) on conflict (id) do nothing`,
    [crypto.randomUUID()],
  );
  const [row] = await em.execute<{ epoch: string; version: string }[]>(
    `select epoch, version from catalog_state where id = 1`,
  );
  if (!row) throw new Error('catalog_state row is missing after insert');
  return { epoch: row.epoch, version: Number(row.version) };
}

/** The current cache version; one indexed single-row read. */
export async function readCacheVersion(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ version: string }[]>(`select version from catalog_state where id = 1`);
  return Number(row?.version ?? 0);
}

/**
 * Bumps the cache version inside the caller's transaction. The row lock also orders concurrent
 * writers, so versions commit in the order they are handed out.
 */
export async function bumpCacheVersion(tx: EntityManager): Promise<number> {
  const [row] = await tx.execute<{ version: string }[]>(
    `update catalog_state set version = version + 1 where id = 1 returning version`,
  );
  if (!row) throw new Error('catalog_state row is missing');
  return Number(row.version);
}

/** Tells every replica's cache that a write committed with this version. */
export type Invalidate = (version: number) => Promise<void>;

/**
 * Ends a catalog write inside its transaction `tx`: bumps the cache version last, and calls
 * `invalidate` only once `tx` has committed (awaited before `transactional` resolves), so a
 * reader that sees the new version always finds the new rows. Every write that changes what
 * the catalog answers goes through here: admin edits and stock taken by paid orders alike.
 * The transactional EntityManager carries its own clone of the event manager, so the
 * subscriber lives and dies with this one transaction.
 */
export async function invalidateOnCommit(tx: EntityManager, invalidate: Invalidate): Promise<void> {
  if (!tx.isInTransaction()) throw new Error('invalidateOnCommit needs a transactional EntityManager');
  await tx.flush();
  const version = await bumpCacheVersion(tx);
  tx.getEventManager().registerSubscriber({ afterTransactionCommit: () => invalidate(version) });
}

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

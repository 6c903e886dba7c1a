import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyEntity, MikroORM as CoreMikroORM, EntityClass, EntitySchema } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, type PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { databaseUrl, ensureDatabase, withAdvisoryLock } from './database.ts';
import { ORM_DEBUG_NAMESPACES, pinoOrmLoggerFactory } from './orm-logger.ts';
import { boundedSessionSettings, cutSilentConnections } from './query-bounds.ts';

export { databaseUrl, dropDatabase, ensureDatabase } from './database.ts';
export { flushOrConflict } from './unique.ts';
export { isDatabaseUnavailable } from './unavailable.ts';

/** What `createOrm` accepts as an entity: a `defineEntity(...)` result (or a class). */
export type EntityDefinition = EntitySchema | EntityClass<AnyEntity>;

/** The ORM `createOrm` returns; `orm.em` is the PostgreSQL EntityManager. */
export type Orm = CoreMikroORM<PostgreSqlDriver>;

export interface CreateOrmOptions {
  /** PostgreSQL server URL (`POSTGRES_URL`); its database path is replaced by `dbName`. */
  serverUrl: string;
  /** The service's own database, e.g. `shop_order`; created when missing. `[a-z0-9_]+`. */
  dbName: string;
  entities: readonly EntityDefinition[];
  /**
   * Folder of the committed migrations, absolute or as a URL, e.g.
   * `new URL('./migrations', import.meta.url)` from the service's `src/db`: that resolves to the
   * `.ts` sources under `node --conditions=source` and to the compiled `.js` files in `dist`.
   */
  migrationsPath: string | URL;
  logger: Logger;
  /** Connection pool size; pg's defaults (0..10) otherwise. */
  pool?: { min?: number; max?: number };
  /**
   * Bounds every statement, migrations included (none by default): the server cancels one that
   * runs or waits for a lock longer than this and ends a transaction left idle twice as long, and
   * a connection in use that hears nothing for twice as long is cut (the server or the way to it
   * is gone). Nothing then waits on the database for ever.
   */
  queryTimeoutMs?: number;
}

/** Migration files, whichever form is on disk: `.ts` sources or `.js` output (not `.d.ts`). */
const MIGRATION_GLOB = '!(*.d).{js,ts}';

/** Waiting longer than this for a connection means the database is not answering. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Connects a service to its own database: creates the database if missing, starts MikroORM
 * (PostgreSQL, `allowGlobalContext: false`, logging into `logger` at debug) and applies pending
 * migrations under an advisory lock, so instances starting together migrate once.
 * Use `orm.em.fork()` per unit of work and `orm.close()` on shutdown.
 */
export async function createOrm(options: CreateOrmOptions): Promise<Orm> {
  const { serverUrl, dbName, logger, pool, queryTimeoutMs } = options;
  const log = logger.child({ component: 'db', db: dbName });
  await ensureDatabase(serverUrl, dbName);

  const migrationsPath = toPath(options.migrationsPath);
  const url = databaseUrl(serverUrl, dbName);
  const orm = await MikroORM.init({
    clientUrl: url,
    dbName,
    entities: [...options.entities],
    extensions: [Migrator],
    // ensureDatabase() above already did this, and race-safely.
    ensureDatabase: false,
    // Every request and message handler must fork its own EntityManager.
    allowGlobalContext: false,
    pool: { ...pool },
    driverOptions: {
      // Without it a pool waits forever on an unreachable server, and so would /ready.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      ...(queryTimeoutMs === undefined
        ? {}
        : {
            ...boundedSessionSettings(queryTimeoutMs),
            onPoolCreated: (created: Pool) => cutSilentConnections(created, 2 * queryTimeoutMs),
          }),
    },
    debug: ORM_DEBUG_NAMESPACES,
    loggerFactory: pinoOrmLoggerFactory(log),
    migrations: {
      // The same folder serves both runs: it holds .ts sources under `--conditions=source`
      // and compiled .js files in dist, and the glob takes either.
      path: migrationsPath,
      pathTs: migrationsPath,
      glob: MIGRATION_GLOB,
      emit: 'ts',
      // Migrations are generated against a database built from the previous migrations
      // (scripts/migration-create.ts), so no snapshot file is kept or written at runtime.
      snapshot: false,
      transactional: true,
      allOrNothing: true,
    },
  });

  try {
    const applied = await withAdvisoryLock(url, 'shop:migrations', () => orm.migrator.up());
    const names = applied.map((migration) => migration.name);
    log.info({ applied: names }, `applied ${names.length} migration(s)`);
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  return orm;
}

/** Throws unless the database answers `select 1`; for the `/ready` check. */
export async function checkDatabase(orm: Orm): Promise<void> {
  // Not `execute('select 1')`: on a closed ORM that silently opens a new pool.
  const result = await orm.checkConnection();
  if (!result.ok) throw result.error ?? new Error(`database unavailable: ${result.reason}`);
}

function toPath(path: string | URL): string {
  return path instanceof URL ? fileURLToPath(path) : resolve(path);
}

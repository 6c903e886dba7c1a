import { checkDatabase, createOrm, type EntityDefinition, type Orm } from '../db/index.ts';
import type { ServiceKit } from './kit.ts';

/** The service's own schema: its entities and its committed migrations. */
export interface PostgresOptions {
  entities: readonly EntityDefinition[];
  /** The service's committed migrations: `new URL('./db/migrations', import.meta.url)` from `src/`. */
  migrations: URL;
  /** Bounds every statement and connection (see `CreateOrmOptions.queryTimeoutMs`); none unless given. */
  queryTimeoutMs?: number;
}

/**
 * Connects the service to its own database (`kit.options.dbName`, else
 * `${DATABASE_PREFIX}_<service>`, created if missing) and applies its migrations; `/ready` checks
 * it (critical) and shutdown closes it.
 */
export async function connectPostgres(
  kit: ServiceKit,
  { entities, migrations, queryTimeoutMs }: PostgresOptions,
): Promise<Orm> {
  const { config } = kit;
  const orm = await createOrm({
    serverUrl: config.POSTGRES_URL,
    dbName: kit.options.dbName ?? `${config.DATABASE_PREFIX}_${kit.service}`,
    pool: { max: config.DATABASE_POOL_MAX },
    entities,
    migrationsPath: migrations,
    logger: kit.logger,
    ...(queryTimeoutMs === undefined ? {} : { queryTimeoutMs }),
  });
  kit.addReadiness({ name: 'postgres', check: () => checkDatabase(orm) });
  kit.addCloser('postgres', () => orm.close());
  return orm;
}

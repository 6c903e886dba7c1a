import { createOrm } from '@shop/shared';
import type { Logger } from 'pino';
import type { AuthConfig } from '../config.ts';
import { entities } from './entities.ts';

/** Opens auth's database (`<DATABASE_PREFIX>_auth` unless named), creating and migrating it as needed. */
export function openAuthDatabase(
  config: Pick<AuthConfig, 'POSTGRES_URL' | 'DATABASE_PREFIX' | 'DATABASE_POOL_MAX'>,
  logger: Logger,
  dbName = `${config.DATABASE_PREFIX}_auth`,
) {
  return createOrm({
    serverUrl: config.POSTGRES_URL,
    dbName,
    pool: { max: config.DATABASE_POOL_MAX },
    entities,
    migrationsPath: new URL('./migrations', import.meta.url),
    logger,
  });
}

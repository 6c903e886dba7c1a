/**
 * Generates the next migration of a service from its entities.
 *
 *   node --conditions=source scripts/migration-create.ts <service> [--initial] [--name <label>]
 *
 * Builds a throwaway database `shop_<service>_migrations_<random>` from the committed migrations,
 * diffs it against `services/<service>/src/db/entities.ts` (`export const entities = [...]`), writes
 * the difference to `services/<service>/src/db/migrations/Migration<timestamp>[_<label>].ts`,
 * formatted with the repository's Prettier config, and drops the database again. Prints the new
 * file or "no changes". `--initial` is for a service without migrations yet: it writes the full
 * create-schema script (no `down`).
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { baseConfigSchema, loadConfigOrExit } from '../services/shared/src/config/index.ts';
import { createOrm, dropDatabase, type EntityDefinition, type Orm } from '../services/shared/src/db/index.ts';
import { createLogger } from '../services/shared/src/logger/index.ts';

const usage =
  'usage: node --conditions=source scripts/migration-create.ts <service> [--initial] [--name <label>]';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const { positionals, values } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { initial: { type: 'boolean', default: false }, name: { type: 'string' } },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${usage}`);
  }
})();
const [service, ...extra] = positionals;
if (!service || extra.length > 0 || !/^[a-z][a-z0-9_-]*$/.test(service)) fail(usage);

const root = fileURLToPath(new URL('..', import.meta.url));
const dbDir = join(root, 'services', service, 'src', 'db');
const migrationsPath = join(dbDir, 'migrations');
const entitiesFile = join(dbDir, 'entities.ts');

const module = (await import(pathToFileURL(entitiesFile).href).catch((error: unknown) =>
  fail(`cannot load ${relative(root, entitiesFile)}: ${(error as Error).message}`),
)) as { entities?: EntityDefinition[] };
if (!Array.isArray(module.entities) || module.entities.length === 0) {
  fail(`${relative(root, entitiesFile)} must export a non-empty \`entities\` array`);
}

const config = loadConfigOrExit(
  baseConfigSchema.pick({ POSTGRES_URL: true }).extend({
    // Quiet unless asked: the one line this script prints is its result.
    LOG_LEVEL: baseConfigSchema.shape.LOG_LEVEL.unwrap().default('warn'),
  }),
);
const logger = createLogger({ service: 'migration-create', level: config.LOG_LEVEL });
const dbName = `shop_${service.replaceAll('-', '_')}_migrations_${randomBytes(4).toString('hex')}`;

let orm: Orm | undefined;
try {
  // createOrm applies the committed migrations, so the diff below is exactly what they miss.
  orm = await createOrm({
    serverUrl: config.POSTGRES_URL,
    dbName,
    entities: module.entities,
    migrationsPath,
    logger,
  });
  const result = await orm.migrator.create(undefined, false, values.initial, values.name);
  if (!result.fileName) {
    process.stdout.write('no changes\n');
  } else {
    const file = join(migrationsPath, result.fileName);
    const options = await prettier.resolveConfig(file);
    await writeFile(
      file,
      await prettier.format(await readFile(file, 'utf8'), { ...options, filepath: file }),
    );
    process.stdout.write(`${relative(root, file)}\n`);
  }
} finally {
  await orm?.close();
  // A failed drop must not hide the error that got us here; the name says what to clean up.
  await dropDatabase(config.POSTGRES_URL, dbName).catch((error: unknown) =>
    logger.warn({ err: error, dbName }, 'could not drop the throwaway database'),
  );
}

import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
// Vitest loads global setup without the `source` export condition, so these come by path.
import { baseConfigSchema, loadConfig } from '../../shared/src/config/index.ts';
import { localServers, missingServers } from '../../shared/src/lifecycle/preflight.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    runId: string;
  }
}

/** Fails fast, naming the missing server, and gives every run its own id for database names and key prefixes. */
export async function setup(project: TestProject) {
  const config = loadConfig(baseConfigSchema);
  const missing = await missingServers(
    localServers({ postgres: config.POSTGRES_URL, redis: config.REDIS_URL, rabbitmq: config.RABBITMQ_URL }),
  );
  if (missing) throw new Error(missing);
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  project.provide('runId', runId);

  return async () => {
    const client = new pg.Client({ connectionString: config.POSTGRES_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        // Per-service test databases end in _t<runId>; whole-shop suites use the prefix shop_t<runId>_.
        "select datname from pg_database where datname like 'shop\\_%' and (datname like $1 or datname like $2)",
        [`%\\_t${runId}`, `shop\\_t${runId}\\_%`],
      );
      for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
    } finally {
      await client.end();
    }
  };
}

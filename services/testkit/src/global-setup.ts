import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
// Vitest loads global setup without the `source` export condition, so these come by path.
import { baseConfigSchema, loadConfig } from '../../shared/src/config/index.ts';
import { localServers, missingServers } from '../../shared/src/lifecycle/preflight.ts';
import { dropDatabases, likeLiteral } from './databases.ts';

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

  // Per-service test databases end in _t<runId>; suites' databases start with shop_t<runId>_.
  return () =>
    dropDatabases(config.POSTGRES_URL, [
      `shop\\_%${likeLiteral(`_t${runId}`)}`,
      `${likeLiteral(`shop_t${runId}_`)}%`,
    ]);
}

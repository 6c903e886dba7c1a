import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { root } from './compose-file.ts';

const run = promisify(execFile);
const serverUrl = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function databasesStartingWith(prefix: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1) order by datname',
      [prefix],
    );
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

// The global teardown drops databases named shop_t<runId>_*.
const prefix = `shop_t${inject('runId')}_initdb`;
afterAll(async () => {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (const name of await databasesStartingWith(`${prefix}_`))
      await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
});

describe('deploy/postgres/create-databases.sh (the PostgreSQL container init script)', () => {
  it('creates <DATABASE_PREFIX>_<service> for every service with a database', async () => {
    const url = new URL(serverUrl);
    // The container runs it as POSTGRES_USER on POSTGRES_DB; here libpq finds the server from PG*.
    await run('sh', [fileURLToPath(new URL('deploy/postgres/create-databases.sh', root))], {
      env: {
        ...process.env,
        PGHOST: url.hostname,
        PGPORT: url.port || '5432',
        PGPASSWORD: decodeURIComponent(url.password),
        POSTGRES_USER: decodeURIComponent(url.username) || 'postgres',
        POSTGRES_DB: url.pathname.slice(1) || 'postgres',
        DATABASE_PREFIX: prefix,
      },
      timeout: 30_000,
    });
    expect(await databasesStartingWith(`${prefix}_`)).toEqual(
      ['auth', 'catalog', 'notification', 'order', 'payment'].map((service) => `${prefix}_${service}`),
    );
  });
});

import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineEntity, p } from '@mikro-orm/core';
import { Client } from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseConfigSchema, loadConfig } from '../src/config/index.ts';
import { checkDatabase, createOrm, databaseUrl, dropDatabase, ensureDatabase } from '../src/db/index.ts';
import { createServiceApp } from '../src/http/app.ts';
import { createTcpProxy, eventually, testLogger } from '@shop/testkit';

const { POSTGRES_URL: serverUrl } = loadConfig(baseConfigSchema.pick({ POSTGRES_URL: true }));
const uniqueName = (label: string) => `shop_dbtest_${label}_${randomBytes(4).toString('hex')}`;

const Thing = defineEntity({
  name: 'Thing',
  tableName: 'things',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    name: p.string().length(100),
    size: p.enum(['small', 'large'] as const).default('small'),
    createdAt: p.datetime().defaultRaw('now()'),
  },
});

// The migrations live outside the repository, so they import the package by file URL.
const migrationsModule = pathToFileURL(createRequire(import.meta.url).resolve('@mikro-orm/migrations')).href;

/** One migration as TypeScript source, one as compiled JavaScript: both forms must load. */
const migrationFiles = {
  'Migration20250101000000_things.ts': `
import { Migration } from '${migrationsModule}';

export class Migration20250101000000_things extends Migration {
  override up(): void {
    const sql: string = 'create table "things" ("id" bigserial primary key, "name" varchar(100) not null, "created_at" timestamptz not null default now());';
    this.addSql(sql);
  }
}
`,
  'Migration20250101000001_size.js': `
import { Migration } from '${migrationsModule}';

export class Migration20250101000001_size extends Migration {
  up() {
    this.addSql(\`alter table "things" add "size" text not null default 'small' check ("size" in ('small', 'large'));\`);
  }
}
`,
};

/** A logger whose lines the test can read. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const applied = () => lines.filter((line) => Array.isArray(line.applied)).map((line) => line.applied);
  return { logger, applied };
}

async function databaseExists(dbName: string): Promise<boolean> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const result = await client.query('select 1 from pg_database where datname = $1', [dbName]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('createOrm', () => {
  const dbName = uniqueName('orm');
  let workDir: string;
  let migrationsPath: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'shop-dbtest-'));
    // Tells Node the migration files are ES modules.
    await writeFile(join(workDir, 'package.json'), '{ "type": "module" }\n');
    migrationsPath = join(workDir, 'migrations');
    await mkdir(migrationsPath);
    for (const [name, source] of Object.entries(migrationFiles)) {
      await writeFile(join(migrationsPath, name), source);
    }
  });

  afterAll(async () => {
    await dropDatabase(serverUrl, dbName);
    await rm(workDir, { recursive: true, force: true });
  });

  const start = (logger = pino({ level: 'silent' })) =>
    createOrm({ serverUrl, dbName, entities: [Thing], migrationsPath, logger, pool: { max: 2 } });

  it('creates the missing database, applies each migration once and none on the next start', async () => {
    expect(await databaseExists(dbName)).toBe(false);

    const first = recordingLogger();
    const orm = await start(first.logger);
    await orm.close();
    const second = recordingLogger();
    const again = await start(second.logger);
    await again.close();

    expect(await databaseExists(dbName)).toBe(true);
    expect(first.applied()).toEqual([['Migration20250101000000_things', 'Migration20250101000001_size']]);
    expect(second.applied()).toEqual([[]]);
  });

  it('stores and reads an entity through forked EntityManagers', async () => {
    const orm = await start();
    try {
      const name = `thing-${randomBytes(4).toString('hex')}`;
      const writer = orm.em.fork();
      const created = writer.create(Thing, { name });
      await writer.flush();

      const found = await orm.em.fork().findOneOrFail(Thing, { name });

      expect(found.id).toBe(created.id);
      expect(found.size).toBe('small');
      expect(found.createdAt).toBeInstanceOf(Date);
    } finally {
      await orm.close();
    }
  });

  it('refuses to use the global EntityManager', async () => {
    const orm = await start();
    try {
      await expect(orm.em.findAll(Thing)).rejects.toThrow(/global/i);
    } finally {
      await orm.close();
    }
  });

  it('reports the database ready while open and not after close', async () => {
    const orm = await start();
    await expect(checkDatabase(orm)).resolves.toBeUndefined();
    await orm.close();
    await expect(checkDatabase(orm)).rejects.toThrow();
  });
});

describe('ensureDatabase', () => {
  const dbName = uniqueName('race');
  afterAll(() => dropDatabase(serverUrl, dbName));

  it('succeeds for two concurrent calls that create the same database', async () => {
    await Promise.all([ensureDatabase(serverUrl, dbName), ensureDatabase(serverUrl, dbName)]);

    expect(await databaseExists(dbName)).toBe(true);
  });

  it('rejects a name that is not [a-z0-9_]', async () => {
    await expect(ensureDatabase(serverUrl, 'shop"; drop')).rejects.toThrow(/invalid database name/i);
  });
});

describe('databaseUrl', () => {
  it('replaces the database and keeps credentials and parameters', () => {
    const url = databaseUrl(
      'postgres://app:s%40cret@db.internal:5433/postgres?sslmode=require',
      'shop_order',
    );

    expect(url).toBe('postgres://app:s%40cret@db.internal:5433/shop_order?sslmode=require');
  });

  it('adds the database when the server URL names none', () => {
    expect(databaseUrl('postgres://postgres@127.0.0.1:5432', 'shop_auth')).toBe(
      'postgres://postgres@127.0.0.1:5432/shop_auth',
    );
  });
});

describe('a request while PostgreSQL is unreachable', () => {
  const dbName = uniqueName('outage');
  afterAll(() => dropDatabase(serverUrl, dbName));

  it("answers the contract's 503 with Retry-After, not a 500, and recovers by itself", async () => {
    const proxy = await createTcpProxy(serverUrl);
    // No migrations: the route below only reads the catalog tables PostgreSQL always has.
    const migrationsPath = await mkdtemp(join(tmpdir(), 'shop-outage-'));
    const orm = await createOrm({
      serverUrl: proxy.url,
      dbName,
      entities: [Thing],
      migrationsPath,
      logger: pino({ level: 'silent' }),
      pool: { max: 2 },
    });
    const app = createServiceApp({ service: 'test', logger: testLogger(), readiness: [] });
    app.get('/count', async (c) => {
      const rows = await orm.em.fork().execute('select count(*)::int as n from pg_class');
      return c.json(rows[0]);
    });
    try {
      expect((await app.request('/count')).status).toBe(200);

      await proxy.stop();
      const down = await app.request('/count');
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(await down.json()).toEqual({
        error: { code: 'service_unavailable', message: expect.stringContaining('database') },
      });

      await proxy.start();
      await eventually(async () => expect((await app.request('/count')).status).toBe(200));
    } finally {
      await orm.close();
      await proxy.stop();
      await rm(migrationsPath, { recursive: true, force: true });
    }
  });
});

describe('transactions whose connection is lost', () => {
  const dbName = uniqueName('lost');
  afterAll(() => dropDatabase(serverUrl, dbName));

  it('give their connection back: more of them than the pool holds leave it working', async () => {
    const proxy = await createTcpProxy(serverUrl);
    const migrationsPath = await mkdtemp(join(tmpdir(), 'shop-lost-'));
    const orm = await createOrm({
      serverUrl: proxy.url,
      dbName,
      entities: [Thing],
      migrationsPath,
      logger: pino({ level: 'silent' }),
      pool: { max: 2 },
    });
    try {
      // As a PostgreSQL restart does to the transactions under way: their connection goes, and
      // neither their statement nor their rollback can be answered.
      for (let lost = 0; lost < 3; lost++) {
        await expect(
          orm.em.fork().transactional(async (em) => {
            await em.execute('select 1');
            proxy.dropConnections();
            await em.execute('select 1');
          }),
        ).rejects.toThrow();
      }

      expect(await orm.em.fork().execute('select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await orm.close();
      await proxy.stop();
      await rm(migrationsPath, { recursive: true, force: true });
    }
  });
});

describe('createOrm with queryTimeoutMs', () => {
  const dbName = uniqueName('bounded');
  afterAll(() => dropDatabase(serverUrl, dbName));

  it('cancels a statement running longer, cuts a connection gone silent, and works on', async () => {
    const proxy = await createTcpProxy(serverUrl);
    const migrationsPath = await mkdtemp(join(tmpdir(), 'shop-bounded-'));
    const orm = await createOrm({
      serverUrl: proxy.url,
      dbName,
      entities: [Thing],
      migrationsPath,
      logger: pino({ level: 'silent' }),
      pool: { max: 2 },
      queryTimeoutMs: 500,
    });
    try {
      await expect(orm.em.fork().execute('select pg_sleep(3)')).rejects.toThrow(/statement timeout/);

      await orm.em.fork().execute('select 1');
      proxy.setBlackhole(true);
      await expect(orm.em.fork().execute('select 1')).rejects.toThrow(/no word from PostgreSQL for 1000 ms/);
      proxy.setBlackhole(false);

      expect(await orm.em.fork().execute('select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await orm.close();
      await proxy.stop();
      await rm(migrationsPath, { recursive: true, force: true });
    }
  });
});

import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createOrm, loadConfig, type Orm } from '@shop/shared';
import { testDatabaseName, testLogger } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogConfigSchema } from '../src/config.ts';
import { entities } from '../src/db/entities.ts';

const migrations = new URL('../src/db/migrations/', import.meta.url);
/** The migrations of the catalog that took stock at payment (stock_orders). */
const BEFORE = ['Migration20261124101837.ts', 'Migration20261124114028_stock_from_payments.ts'];
const dbName = testDatabaseName('catalog_migration');
const serverUrl = loadConfig(catalogConfigSchema, {}).POSTGRES_URL;
let orm: Orm;

const run = <T>(sql: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(sql, params);

beforeAll(async () => {
  // A catalog at its last version before reservations, with the books of orders in flight.
  const folder = await mkdtemp(fileURLToPath(new URL('./.migrations-', import.meta.url)));
  try {
    for (const file of BEFORE) await copyFile(new URL(file, migrations), `${folder}/${file}`);
    const old = await createOrm({
      serverUrl,
      dbName,
      entities,
      migrationsPath: folder,
      logger: testLogger(),
    });
    const sql = (statement: string, params: unknown[] = []) => old.em.fork().execute(statement, params);
    await sql(
      `insert into categories (slug, name_en, name_ru, created_at) values ('old', 'Old', 'Старое', now())`,
    );
    for (const [id, stock] of [
      [1, 10],
      [2, 4],
      [3, 9],
    ])
      await sql(
        `insert into products (id, category_id, name_en, name_ru, description_en, description_ru, search_text,
           price_cents, currency, stock, created_at, updated_at)
         select ?, id, 'P', 'P', '', '', 'p', 100, 'EUR', ?, now(), now() from categories where slug = 'old'`,
        [id, stock],
      );
    await sql(`update products set deleted_at = now() where id = 3`);
    const lines = (...pairs: [number, number][]) =>
      JSON.stringify(pairs.map(([productId, quantity]) => ({ productId, quantity })));
    for (const [orderId, orderLines, paid, applied] of [
      [1, lines([1, 2]), true, true], // paid, stock taken
      [2, lines([1, 3], [2, 1]), false, false], // placed, not paid yet
      [3, null, true, false], // paid before its lines arrived
      [4, lines([2, 4]), false, false], // placed; only 3 of product 2 are left after order 2
      [5, lines([2, 3]), false, false], // fits what order 4 left
      [6, lines([3, 1]), false, false], // a deleted product
    ] as const)
      await sql(
        `insert into stock_orders (order_id, lines, paid_at, applied_at)
         values (?, ?::jsonb, case when ? then now() end, case when ? then now() end)`,
        [orderId, orderLines, paid, applied],
      );
    await old.close();
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  orm = await createOrm({ serverUrl, dbName, entities, migrationsPath: migrations, logger: testLogger() });
});
afterAll(() => orm.close());

describe('the upgrade from stock taken at payment to reservations', () => {
  it('makes taken stock a sale, holds what unpaid orders need while it is there, and drops stock_orders', async () => {
    expect(await run('select order_id::int, state, lines from reservations order by order_id')).toEqual([
      { order_id: 1, state: 'sold', lines: [{ productId: 1, quantity: 2 }] },
      {
        order_id: 2,
        state: 'reserved',
        lines: [
          { productId: 1, quantity: 3 },
          { productId: 2, quantity: 1 },
        ],
      },
      { order_id: 4, state: 'rejected', lines: [{ productId: 2, quantity: 4 }] },
      { order_id: 5, state: 'reserved', lines: [{ productId: 2, quantity: 3 }] },
      { order_id: 6, state: 'rejected', lines: [{ productId: 3, quantity: 1 }] },
    ]);
    expect(await run('select id, stock, reserved from products order by id')).toEqual([
      { id: 1, stock: 10, reserved: 3 },
      { id: 2, stock: 4, reserved: 4 },
      { id: 3, stock: 9, reserved: 0 },
    ]);
    expect(await run(`select to_regclass('stock_orders') as "table"`)).toEqual([{ table: null }]);
  });
});

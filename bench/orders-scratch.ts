/** bench:orders helpers: a scratch database with the order service's tables, and the bare pg baseline. */
import { entities } from '../services/order/src/db/entities.ts';
import { createEvent, createOrm, databaseUrl, dropDatabase } from '@shop/shared';
import { Client } from 'pg';
import { pino } from 'pino';

const migrationsUrl = new URL('../services/order/src/db/migrations', import.meta.url);

export const POSTGRES_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface Scratch {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates `shop_bench_<random>` with the order service's tables (orders, items, outbox), built
 * by the service's own committed migrations, so the baseline writes the same schema the shop
 * does; `drop()` removes it.
 */
export async function scratchOrderDatabase(): Promise<Scratch> {
  const name = `shop_bench_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const orm = await createOrm({
    serverUrl: POSTGRES_URL,
    dbName: name,
    entities,
    migrationsPath: migrationsUrl,
    logger: pino({ level: 'warn' }),
  });
  await orm.close();
  return { name, url: databaseUrl(POSTGRES_URL, name), drop: () => dropDatabase(POSTGRES_URL, name) };
}

/**
 * `VACUUM (ANALYZE)` of the services' databases that exist. The development server runs with
 * autovacuum off, so dead rows of earlier runs pile up in the queues' indexes (an empty claim then
 * scans them all) and the planner's statistics go stale.
 */
export async function vacuumDatabases(names: readonly string[]): Promise<void> {
  for (const name of names) {
    const client = new Client(databaseUrl(POSTGRES_URL, name));
    try {
      await client.connect();
    } catch {
      continue; // not created yet: nothing to clean
    }
    try {
      await client.query('vacuum (analyze)');
    } finally {
      await client.end();
    }
  }
}

/** An `order.created` envelope like the one order stores for a one-item order. */
export function orderCreated(orderId: number, userId: string, productId: number) {
  const item = { productId, name: 'bench product', unitPriceCents: 500, quantity: 1 };
  return createEvent('order.created', { orderId, userId, items: [item], totalCents: 500, currency: 'EUR' });
}

/**
 * The baseline for POST /orders: `connections` pg clients, each committing one transaction per
 * order (order row, one item row, one outbox row) back to back for `durationS`. No NOTIFY: the
 * baseline is the bare rows. Returns orders per second.
 */
export async function bareOrderInserts(url: string, connections: number, durationS: number): Promise<number> {
  const userId = crypto.randomUUID();
  const deadline = Date.now() + durationS * 1000;
  let committed = 0;
  const worker = async () => {
    const client = new Client(url);
    await client.connect();
    try {
      while (Date.now() < deadline) {
        await client.query('begin');
        const now = new Date();
        const { rows } = await client.query<{ id: string }>(
          `insert into orders (user_id, status, total_cents, currency, created_at, updated_at)
           values ($1, 'pending', 500, 'EUR', $2, $2) returning id`,
          [userId, now],
        );
        const orderId = Number(rows[0]!.id);
        await client.query(
          'insert into order_items (order_id, product_id, name, unit_price_cents, quantity) values ($1, 1, $2, 500, 1)',
          [orderId, 'bench product'],
        );
        const event = orderCreated(orderId, userId, 1);
        await client.query(
          `insert into outbox (id, type, routing_key, payload, occurred_at, published_at, attempts, last_error)
           values ($1, $2, $3, $4, $5, null, 0, null)`,
          [event.id, event.type, event.type, JSON.stringify(event), event.occurredAt],
        );
        await client.query('commit');
        committed += 1;
      }
    } finally {
      await client.end();
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: connections }, worker));
  return committed / ((Date.now() - started) / 1000);
}

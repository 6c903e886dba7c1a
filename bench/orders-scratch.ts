/** bench:orders helpers: scratch databases with the order service's tables, and the bare pg baseline. */
import { createEvent, databaseUrl, dropDatabase, ensureDatabase } from '@shop/shared';
import { Client } from 'pg';

export const POSTGRES_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Plain SQL mirroring services/order/src/db/migrations (orders, order_items, outbox). */
const ORDER_TABLES = `
create table orders (id bigserial primary key, user_id uuid not null, status text not null default 'pending',
  total_cents int not null, currency char(3) not null, created_at timestamptz not null, updated_at timestamptz not null,
  constraint orders_status_check check (status in ('pending', 'paid', 'payment_failed')));
create index orders_user_id_created_at_index on orders (user_id, created_at);
create table order_items (id bigserial primary key, order_id bigint not null references orders (id) on delete cascade,
  product_id int not null, name varchar(200) not null, unit_price_cents int not null, quantity int not null);
create index order_items_order_id_index on order_items (order_id);`;

/** The shared `outbox` table (services/shared/src/messaging/outbox.ts). */
export const OUTBOX_TABLE = `
create table outbox (id uuid primary key, type varchar(100) not null, routing_key varchar(255) not null,
  payload jsonb not null, occurred_at timestamptz not null, published_at timestamptz null,
  attempts int not null default 0, last_error text null);
create index outbox_pending_idx on outbox (occurred_at) where published_at is null;
create index outbox_published_at_idx on outbox (published_at);`;

export interface Scratch {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates `shop_bench_<random>` with `ddl` applied; `drop()` removes it. */
export async function scratchDatabase(ddl: string): Promise<Scratch> {
  const name = `shop_bench_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await ensureDatabase(POSTGRES_URL, name);
  const url = databaseUrl(POSTGRES_URL, name);
  const client = new Client(url);
  await client.connect();
  try {
    await client.query(ddl);
  } finally {
    await client.end();
  }
  return { name, url, drop: () => dropDatabase(POSTGRES_URL, name) };
}

export const orderTablesDdl = `${ORDER_TABLES}${OUTBOX_TABLE}`;

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

import type { ServiceEntityManager } from '@shop/shared';
import { requestJson, testDatabaseName } from '@shop/testkit';
import type { Logger } from 'pino';
import { Order } from '../src/db/entities.ts';
import { startRealCatalog } from './real-catalog.ts';
import { startOrderForTest } from './start.ts';

export interface StartOptions {
  /** Defaults to a silent test logger; a test that reads the service's log lines passes its own. */
  logger?: Logger;
  /**
   * A database of the suite's own instead of the one all order suites share. A suite that watches
   * what its relay publishes needs it: on a shared outbox, another suite's relay running at the
   * same time may take its rows and publish them to that suite's exchange.
   */
  ownDatabase?: boolean;
}

/**
 * A real order service (PostgreSQL, RabbitMQ, outbox relay, stock and payment consumers) on this run's
 * database, with its own event exchange and queues, a test token issuer verified by the real
 * verifier, and a real catalog of its own.
 */
export async function startOrder(suite: string, options: StartOptions = {}) {
  const catalog = await startRealCatalog();
  const order = await startOrderService(suite, { CATALOG_URL: catalog.url }, options);
  const close = async () => {
    await order.close();
    await catalog.stop();
  };
  return { ...order, catalog, close };
}

/** The order service alone, for tests that point `CATALOG_URL` at a broken catalog. */
export function startOrderService(suite: string, env: Record<string, string>, options: StartOptions = {}) {
  // One database for every order suite (migrated once a run) unless it asks for its own; each suite's own exchange and queues.
  return startOrderForTest({
    suite: `order_${suite}`,
    env,
    logger: options.logger,
    names: options.ownDatabase ? {} : { dbName: testDatabaseName('order') },
  });
}

export type TestOrder = Awaited<ReturnType<typeof startOrder>>;
export type TestOrderService = Awaited<ReturnType<typeof startOrderService>>;

/** A JSON request to an order app, without a port. */
export const request = requestJson;

export interface OrderBody {
  id: number;
  status: string;
  items: { productId: number; name: string; unitPriceCents: number; quantity: number }[];
  totalCents: number;
  currency: string;
  createdAt: string;
}

/** What `GET /orders/:id` shows of an order nothing has happened to since it was placed. */
export const justPlaced = (placed: OrderBody) => ({
  ...placed,
  statusHistory: [{ status: 'pending', at: placed.createdAt }],
});

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface RowCounts {
  orders: number;
  items: number;
  keys: number;
  events: number;
}

/** The buyer's rows in every table the order transaction writes (other suites share the database). */
export async function countRows(em: ServiceEntityManager, userId: string): Promise<RowCounts> {
  const [row] = await em.execute<RowCounts[]>(
    `select (select count(*)::int from orders where user_id = ?) as orders,
            (select count(*)::int from order_items i join orders o on o.id = i.order_id where o.user_id = ?) as items,
            (select count(*)::int from idempotency_keys where user_id = ?) as keys,
            (select count(*)::int from outbox where payload->'data'->>'userId' = ?) as events`,
    [userId, userId, userId, userId],
  );
  if (!row) throw new Error('count query returned no row');
  return row;
}

/**
 * The idempotency suites' world: an order service whose catalog sells Tea and a Mug in EUR with
 * plenty of stock, plus the helpers both suites use.
 */
export async function startTeaAndMugShop(suite: string) {
  const order = await startOrder(suite);
  const [tea, mug] = await order.catalog.add(
    { name: 'Tea', priceCents: 450, currency: 'EUR', stock: 1_000 },
    { name: 'Mug', priceCents: 1_299, currency: 'EUR', stock: 1_000 },
  );
  if (!tea || !mug) throw new Error('the catalog did not create the test products');
  return {
    order,
    tea: tea.id,
    mug: mug.id,
    countOrders: (userId: string) => order.orm.em.fork().count(Order, { userId }),
    withKey: (headers: Record<string, string>, key: string) => ({ ...headers, 'Idempotency-Key': key }),
  };
}

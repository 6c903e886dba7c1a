import { inject } from 'vitest';
import { deleteConsumerTopology, loadConfig, type Logger } from '@shop/shared';
import {
  createTestTokenIssuer,
  testDatabaseName,
  testKeyPrefix,
  testLogger,
  type TestTokenIssuer,
} from '@shop/shared/testing';
import { catalogConfigSchema } from '../src/config.ts';
import { Category } from '../src/db/entities.ts';
import { bumpCacheVersion } from '../src/domain/catalog-state.ts';
import type { ProductItem } from '../src/domain/catalog-views.ts';
import { buildCatalog } from '../src/wiring.ts';

let issuer: Promise<TestTokenIssuer> | undefined;

export interface StartOptions {
  env?: Record<string, string>;
  /** Share a cache namespace with another instance: two replicas of one catalog. */
  keyPrefix?: string;
  logger?: Logger;
  /** The database suffix: suites whose cache assertions must not see other suites' writes use their own. */
  database?: string;
  /** Event exchange and consumer queue; by default this instance's own, deleted on close. */
  events?: EventNames;
}

export interface EventNames {
  exchange: string;
  consumerName: string;
}

/** An exchange and queue of this run alone: a test catalog never consumes the real `shop.events`. */
export function newEventNames(): EventNames {
  const prefix = `t${inject('runId')}.catalog-${crypto.randomUUID().slice(0, 8)}`;
  return { exchange: `${prefix}.events`, consumerName: `${prefix}.orders` };
}

/** A real catalog (PostgreSQL, Redis) on this run's own database, with its own cache namespace unless told otherwise. */
export async function startCatalog({
  env = {},
  keyPrefix = newKeyPrefix(),
  logger = testLogger(),
  database = 'catalog',
  events = newEventNames(),
}: StartOptions = {}) {
  const tokens = await (issuer ??= createTestTokenIssuer());
  const config = loadConfig(catalogConfigSchema, {
    ...process.env,
    // A loaded test machine can stall a reply past 50 ms; the slow-Redis test sets its own value.
    CATALOG_CACHE_TIMEOUT_MS: '1000',
    ...env,
  });
  const catalog = await buildCatalog(config, logger, {
    dbName: testDatabaseName(database),
    keyPrefix,
    getKey: tokens.getKey,
    ...events,
    retryDelaysMs: [100],
  });
  await catalog.broker.waitForConnect();
  const close = async () => {
    await catalog.consumer.stop();
    // Over the catalog's own connection, before it closes: no second connection per instance.
    const cleanup = await catalog.broker.onConnect(async (connection) => {
      const channel = await connection.createChannel();
      await deleteConsumerTopology(channel, catalog.consumer.topology);
      await channel.deleteExchange(events.exchange);
      await channel.close();
    });
    cleanup.unregister();
    for (const closer of catalog.closers) await closer.close();
  };
  const adminToken = await tokens.sign({ role: 'admin' });
  const userToken = await tokens.sign({ role: 'user' });
  return { ...catalog, config, keyPrefix, events, close, adminToken, userToken };
}

export type TestCatalog = Awaited<ReturnType<typeof startCatalog>>;

export const newKeyPrefix = () => testKeyPrefix(`catalog:${crypto.randomUUID()}`);

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export function send(
  catalog: TestCatalog,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return catalog.app.request(path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export const get = (catalog: TestCatalog, path: string, headers: Record<string, string> = {}) =>
  catalog.app.request(path, { headers });

/** A word no other test's data contains, for searches that must find only this test's products. */
export const uniqueWord = () => `zq${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;

/** A category of this test's own, committed the way a write does it (with a cache version bump). */
export async function createCategory(catalog: TestCatalog): Promise<number> {
  const slug = `test-${crypto.randomUUID()}`;
  const version = await catalog.orm.em.fork().transactional(async (tx) => {
    tx.create(Category, { slug, nameEn: `Category ${slug}`, nameRu: `Категория ${slug}` });
    await tx.flush();
    return bumpCacheVersion(tx);
  });
  await catalog.deps.invalidate(version);
  const category = await catalog.orm.em.fork().findOneOrFail(Category, { slug });
  return category.id;
}

export interface NewProductBody {
  name?: unknown;
  description?: unknown;
  priceCents?: unknown;
  currency?: unknown;
  stock?: unknown;
  categoryId?: unknown;
}

export async function createProduct(
  catalog: TestCatalog,
  body: NewProductBody & { categoryId: number },
): Promise<ProductItem> {
  const res = await send(
    catalog,
    'POST',
    '/products',
    { name: 'Test product', priceCents: 1000, stock: 5, ...body },
    bearer(catalog.adminToken),
  );
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as ProductItem;
}

export interface ListBody {
  items: ProductItem[];
  page: number;
  limit: number;
  total: number;
}

import { request as httpRequest } from 'node:http';
import { expect, vi } from 'vitest';
import { loadConfig, type Logger } from '@shop/shared';
import {
  createTestTokenIssuer,
  deleteTestTopology,
  serveForTest,
  testDatabaseName,
  testEventNames,
  testKeyPrefix,
  testLogger,
  type TestTokenIssuer,
} from '@shop/testkit';
import { catalogConfigSchema } from '../src/config.ts';
import { Category } from '../src/db/entities.ts';
import { bumpCacheVersion } from '../src/store/catalog-state.ts';
import type { ProductItem } from '../src/domain/product-views.ts';
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
  /** The stock consumer's queue (and inbox key) is `<queuePrefix>.orders`. */
  queuePrefix: string;
}

/** An exchange and queue of this run alone: a test catalog never consumes the real `shop.events`. */
export const newEventNames = (): EventNames => testEventNames(`catalog-${crypto.randomUUID().slice(0, 8)}`);

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
    keys: tokens.getKey,
    ...events,
    retryDelaysMs: [100],
  });
  await catalog.broker.waitForConnect();
  const close = async () => {
    await catalog.consumer.stop();
    // Over the catalog's own connection, before it closes: no second connection per instance.
    const cleanup = await catalog.broker.onConnect(async (connection) => {
      const channel = await connection.createChannel();
      await deleteTestTopology(channel, {
        exchange: events.exchange,
        consumers: [catalog.consumer.topology],
      });
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

/**
 * Two replicas of one catalog (one cache namespace) whose in-process copies outlive any test:
 * only a write announced over pub/sub can drop them.
 */
export async function startReplicas(options: StartOptions = {}): Promise<[TestCatalog, TestCatalog]> {
  const replica = { ...options, env: { CATALOG_LOCAL_CACHE_TTL_MS: '600000' }, keyPrefix: newKeyPrefix() };
  return [await startCatalog(replica), await startCatalog(replica)];
}

/** Waits until replica `b` knows the cache version `a` is at. */
export const versionsAgree = (a: TestCatalog, b: TestCatalog) =>
  vi.waitFor(() => expect(b.versions.known).toBe(a.versions.known), { timeout: 1_000, interval: 1 });

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

export interface ServedCatalog {
  port: number;
  /** The URLs the fast path left to Hono. */
  fellThrough: string[];
  close: () => Promise<void>;
}

/** Serves a test catalog over HTTP as main.ts does, or (`front: false`) through Hono alone. */
export async function serveCatalog(catalog: TestCatalog, { front = true } = {}): Promise<ServedCatalog> {
  const fellThrough: string[] = [];
  const server = await serveForTest({
    fetch: catalog.app.fetch,
    front: front
      ? (app) =>
          catalog.front((req, res) => {
            fellThrough.push(req.url ?? '');
            app(req, res);
          })
      : undefined,
  });
  return { port: server.port, fellThrough, close: server.close };
}

/** A response as it came off the wire: header lines in order (without `Date`), body as text. */
export interface RawResponse {
  status: number;
  headers: string[];
  body: string;
}

/**
 * A request over a plain node:http client. `Host: localhost` unless given: @hono/node-server
 * re-parses URLs whose Host has a port of 60000 or more (so the fast path leaves them to it), and
 * a test's random port may be one.
 */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port, method, path, headers: { Host: 'localhost', ...headers } };
    const request = httpRequest(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const lines: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (res.rawHeaders[i] !== 'Date') lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
        }
        resolve({ status: res.statusCode ?? 0, headers: lines, body: Buffer.concat(chunks).toString() });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

export const rawGet = (port: number, path: string, headers: Record<string, string> = {}) =>
  rawRequest(port, 'GET', path, headers);

export const headerOf = (res: RawResponse, name: string) =>
  res.headers
    .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}: `))
    ?.slice(name.length + 2);

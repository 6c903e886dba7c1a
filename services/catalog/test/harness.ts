import { request as httpRequest } from 'node:http';
import { expect, vi } from 'vitest';
import type { Logger } from '@shop/shared';
import {
  createTestTokenIssuer,
  requestJson,
  testDatabaseName,
  testEventNames,
  testKeyPrefix,
  type TestTokenIssuer,
} from '@shop/testkit';
import { Category } from '../src/db/entities.ts';
import type { ProductItem } from '../src/domain/product-views.ts';
import { commitToCatalog, startCatalogForTest } from './start.ts';

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

/**
 * A real catalog (PostgreSQL, Redis) on this run's own database, with its own cache namespace
 * unless told otherwise. Every catalog of a test file trusts one test issuer, as replicas do.
 */
export async function startCatalog({
  env = {},
  keyPrefix = newKeyPrefix(),
  logger,
  database = 'catalog',
  events = newEventNames(),
}: StartOptions = {}) {
  const tokens = await (issuer ??= createTestTokenIssuer());
  const catalog = await startCatalogForTest({
    suite: 'catalog',
    env,
    logger,
    issuer: tokens,
    names: { dbName: testDatabaseName(database), keyPrefix, ...events },
  });
  const adminToken = await tokens.sign({ role: 'admin' });
  const userToken = await tokens.sign({ role: 'user' });
  return { ...catalog, keyPrefix, events, adminToken, userToken };
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

export const send = (
  catalog: TestCatalog,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => requestJson(catalog.app, method, path, body, headers);

export const get = (catalog: TestCatalog, path: string, headers: Record<string, string> = {}) =>
  catalog.app.request(path, { headers });

/** A word no other test's data contains, for searches that must find only this test's products. */
export const uniqueWord = () => `zq${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;

/** A category of this test's own, committed the way a write does it (with a cache version bump). */
export async function createCategory(catalog: TestCatalog): Promise<number> {
  const slug = `test-${crypto.randomUUID()}`;
  const category = await commitToCatalog(catalog, async (tx) => {
    const created = tx.create(Category, { slug, nameEn: `Category ${slug}`, nameRu: `Категория ${slug}` });
    await tx.flush();
    return created;
  });
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
  const server = await catalog.serve({
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

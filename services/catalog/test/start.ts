import type { EntityManager } from '@mikro-orm/postgresql';
import { loadConfig } from '@shop/shared';
import { requestJson, startTestService, testTrust, type TestServiceOptions } from '@shop/testkit';
import { catalogConfigSchema } from '../src/config.ts';
import { bumpCacheVersion } from '../src/store/catalog-state.ts';
import { buildCatalog } from '../src/wiring.ts';

/**
 * A real catalog (PostgreSQL, Redis, RabbitMQ) in-process, named after `options.suite`, trusting
 * `options.keys` or a test issuer (`issuer`, `user()`).
 */
export async function startCatalogForTest(options: TestServiceOptions) {
  const trust = await testTrust(options);
  const config = loadConfig(catalogConfigSchema, {
    ...process.env,
    // A loaded test machine can stall a reply past 50 ms; the slow-Redis test sets its own value.
    CATALOG_CACHE_TIMEOUT_MS: '1000',
    ...options.env,
  });
  const catalog = await startTestService('catalog', options, (wiring, logger) =>
    buildCatalog(config, logger, { ...wiring, keys: trust.keys }),
  );
  return { ...catalog, ...trust, config };
}

export type StartedCatalog = Awaited<ReturnType<typeof startCatalogForTest>>;

/**
 * Commits `work` the way a write of the catalog does, with a cache version bump announced to
 * every replica: what a test writes by hand is never served stale.
 */
export async function commitToCatalog<T>(
  catalog: Pick<StartedCatalog, 'orm' | 'deps'>,
  work: (tx: EntityManager) => Promise<T>,
): Promise<T> {
  const { result, version } = await catalog.orm.em.fork().transactional(async (tx) => {
    const done = await work(tx);
    return { result: done, version: await bumpCacheVersion(tx) };
  });
  await catalog.deps.invalidate(version);
  return result;
}

/** A request to the catalog's admin API with `token`; throws unless it answers 2xx. */
export function catalogAdmin(catalog: Pick<StartedCatalog, 'app'>, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await requestJson(catalog.app, method, path, body, { Authorization: `Bearer ${token}` });
    if (!res.ok) throw new Error(`catalog ${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res;
  };
}

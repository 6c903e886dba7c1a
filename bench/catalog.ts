/**
 * bench:catalog — cached catalog reads against a bare baseline, same machine, same run.
 *
 * Baseline: a node:http server answering the very same bytes straight from one ioredis GET (this
 * file run with BENCH_CATALOG_BASELINE set, in a process of its own). Then the catalog service
 * (its own process, LOG_LEVEL=warn): GET /products and GET /products/1 as cache hits, and the
 * same two reads on a second catalog process with CATALOG_CACHE_TTL_SECONDS=0, where every
 * request takes the PostgreSQL (miss) path. A third catalog process runs at the default
 * LOG_LEVEL=info, its access log going to a file as a log collector would take it, so the cost
 * of request logs shows beside the hits at warn. 50 connections, 10 s per target
 * (BENCH_DURATION_S).
 *
 * Each target's 10 s are run as interleaved slices (BENCH_SLICES, default 5 x 2 s), so a burst
 * of load from anything else on the machine falls on every target alike instead of on one.
 *
 * The catalog answers hits from its fast path (a node:http listener in front of Hono); misses
 * and everything else go through Hono. Its processes (this file with BENCH_CATALOG_SERVICE set)
 * use a database, cache namespace and event exchange of their own, so a shop running on the same
 * machine can neither invalidate their cache mid-run nor lose paid orders to their consumer. The
 * load average is printed before and after the run.
 */
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import {
  freePort,
  loadAverage,
  loadInterleaved,
  plainPort,
  printLoadTable,
  startProcess,
  stopProcess,
  waitFor,
} from './lib.ts';

const CONNECTIONS = 50;
const LIST = '/products';
const ITEM = '/products/1';

/** The baseline server: each path answers the bytes under its Redis key, one ioredis GET per request. */
function serveBaseline(port: number, routes: Map<string, string>, redisUrl: string): void {
  const redis = new Redis(redisUrl);
  createServer((req, res) => {
    const key = routes.get(req.url ?? '');
    if (!key) {
      res.writeHead(404).end();
      return;
    }
    redis.getBuffer(key).then(
      (body) => res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(body),
      () => res.writeHead(503).end(),
    );
  }).listen(port, '127.0.0.1');
  process.once('SIGTERM', () => process.exit(0));
}

// Fixed names: the database is seeded once and reused; the exchange never carries an event.
const BENCH_CATALOG = {
  dbName: 'shop_catalog_bench',
  keyPrefix: 'bench:catalog:',
  exchange: 'bench.catalog.events',
  queuePrefix: 'bench.catalog',
};

/** The catalog as main.ts runs it (fast path included), on the bench's own database and namespaces. */
async function serveCatalog(): Promise<void> {
  const { runService } = await import('@shop/shared');
  const { loadCatalogConfig } = await import('../services/catalog/src/config.ts');
  const { buildCatalog } = await import('../services/catalog/src/wiring.ts');
  await runService({
    name: 'catalog',
    config: loadCatalogConfig(),
    port: (config) => config.CATALOG_PORT,
    build: (config, logger) => buildCatalog(config, logger, BENCH_CATALOG),
  });
}

async function runBench(): Promise<void> {
  const durationS = Number(process.env.BENCH_DURATION_S ?? 10);
  const slices = Number(process.env.BENCH_SLICES ?? 5);
  const warmupS = Number(process.env.BENCH_WARMUP_S ?? 2);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const [hitPort, missPort, infoPort, basePort] = [
    await plainPort(),
    await plainPort(),
    await plainPort(),
    await freePort(),
  ];
  const accessLog = join(await mkdtemp(join(tmpdir(), 'bench-catalog-')), 'catalog-info.log');
  const base = (port: number) => `http://127.0.0.1:${port}`;
  const self = fileURLToPath(import.meta.url);
  const children = [
    startProcess(self, { BENCH_CATALOG_SERVICE: '1', CATALOG_PORT: String(hitPort) }),
    startProcess(self, {
      BENCH_CATALOG_SERVICE: '1',
      CATALOG_PORT: String(missPort),
      CATALOG_CACHE_TTL_SECONDS: '0',
    }),
    startProcess(
      self,
      { BENCH_CATALOG_SERVICE: '1', CATALOG_PORT: String(infoPort), LOG_LEVEL: 'info' },
      accessLog,
    ),
  ];
  const redis = new Redis(redisUrl);

  try {
    await Promise.all([hitPort, missPort, infoPort].map((port) => waitFor(`${base(port)}/ready`)));
    // The baseline serves exactly the bytes the catalog answers, from Redis keys of its own.
    const keys = {
      [LIST]: `bench:catalog:${crypto.randomUUID()}:list`,
      [ITEM]: `bench:catalog:${crypto.randomUUID()}:item`,
    };
    for (const [path, key] of Object.entries(keys)) {
      const res = await fetch(`${base(hitPort)}${path}`);
      if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
      await redis.set(key, Buffer.from(await res.arrayBuffer()), 'EX', 3600);
      const again = await fetch(`${base(hitPort)}${path}`);
      if (again.headers.get('X-Cache') !== 'HIT') throw new Error(`GET ${path} is not a cache hit`);
    }
    children.push(
      startProcess(self, {
        BENCH_CATALOG_BASELINE: JSON.stringify({ port: basePort, routes: keys, redisUrl }),
      }),
    );
    await waitFor(`${base(basePort)}${LIST}`);

    const targets = [
      { name: 'baseline: node:http + 1 ioredis GET (list bytes)', url: `${base(basePort)}${LIST}` },
      { name: 'catalog GET /products, hit', url: `${base(hitPort)}${LIST}` },
      { name: 'baseline: node:http + 1 ioredis GET (item bytes)', url: `${base(basePort)}${ITEM}` },
      { name: 'catalog GET /products/1, hit', url: `${base(hitPort)}${ITEM}` },
      { name: 'catalog GET /products, miss (PostgreSQL)', url: `${base(missPort)}${LIST}` },
      { name: 'catalog GET /products/1, miss (PostgreSQL)', url: `${base(missPort)}${ITEM}` },
      { name: 'catalog GET /products, hit, LOG_LEVEL=info', url: `${base(infoPort)}${LIST}` },
    ];
    console.log(
      `bench:catalog: ${CONNECTIONS} connections, ${durationS} s per target as ${slices} interleaved slices of ${durationS / slices} s`,
    );
    console.log(`load average before: ${loadAverage()}`);
    const results = await loadInterleaved(targets, { connections: CONNECTIONS, durationS, slices, warmupS });
    printLoadTable(targets, results);
    const rps = results.map((result) => result.rps);
    const ratio = (a: number | undefined, b: number | undefined) => ((a ?? 0) / (b ?? 1)).toFixed(2);
    console.log(`GET /products    hit / baseline: ${ratio(rps[1], rps[0])}  (goal >= 1.0)`);
    console.log(`GET /products/1  hit / baseline: ${ratio(rps[3], rps[2])}  (goal >= 1.0)`);
    console.log(`GET /products    hit / miss:     ${ratio(rps[1], rps[4])}`);
    console.log(`GET /products/1  hit / miss:     ${ratio(rps[3], rps[5])}`);
    console.log(
      `GET /products    hit at info / hit at warn: ${ratio(rps[6], rps[1])}  (goal >= 0.9: request logs' cost)`,
    );
    console.log('(p50/p99: median over the slices)');
    console.log(`load average after: ${loadAverage()}`);
  } finally {
    await Promise.all(children.map((child) => stopProcess(child)));
    await redis.quit();
    await rm(dirname(accessLog), { recursive: true, force: true });
  }
}

const baselineSpec = process.env.BENCH_CATALOG_BASELINE;
if (baselineSpec) {
  const { port, routes, redisUrl } = JSON.parse(baselineSpec) as {
    port: number;
    routes: Record<string, string>;
    redisUrl: string;
  };
  serveBaseline(port, new Map(Object.entries(routes)), redisUrl);
} else if (process.env.BENCH_CATALOG_SERVICE) {
  await serveCatalog();
} else {
  await runBench();
}

/**
 * bench:web — the storefront's figures (issue #19), with the catalog and the storefront as
 * processes on a database, Redis keys and a RabbitMQ virtual host of the bench's own (the demo
 * catalog with its photos, seeded on start), on spare ports:
 * - Lighthouse, mobile profile, on the catalog page (`/`) and a product page (`/products/:id`):
 *   performance, accessibility and best practices, each >= 95 (the median of
 *   BENCH_LIGHTHOUSE_RUNS runs, default 3); the audits that cost points when one is below;
 * - the catalog page's weight without images: HTML, CSS and JS as Chromium fetched them on
 *   Lighthouse's cold load, compressed as it negotiated, headers included: <= 60 KB;
 * - the catalog page at 50 connections (cached data: the catalog's reads are cache hits) beside
 *   the catalog's own `GET /products` (the same query the page makes), in the same run as
 *   interleaved slices: p99 <= 20 ms. Both requests carry the browser's Accept-Encoding. A
 *   second storefront with WEB_PAGE_CACHE_MS=0 (every page rendered from the catalog's answers)
 *   is measured beside them, to show what the page cache buys.
 * Exits 1, naming each target missed. The load average is printed beside the figures.
 */
import {
  loadAverage,
  loadInterleaved,
  plainPort,
  printLoadTable,
  printTable,
  startProcess,
  stopProcess,
  waitFor,
  type LoadTarget,
} from './lib.ts';
import { audit, CATEGORIES, startChromium, type Audit, type Browser, type Category } from './lighthouse.ts';
import { startBenchParts } from './parts.ts';

const SCORE_TARGET = 95;
const WEIGHT_TARGET_KB = 60;
const P99_TARGET_MS = 20;
const CONNECTIONS = 50;
const RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const SLICES = Number(process.env.BENCH_SLICES ?? 5);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 2);
// What the storefront asks the catalog for when it renders `/` in English.
const CATALOG_QUERY = '/products?page=1&limit=12&lang=en';

const PARTS = [
  ['catalog', 'services/catalog/src/main.ts'],
  ['web', 'services/web/src/main.ts'],
] as const;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** RUNS audits of `url`: per category the median score; the run with the median performance as the example. */
async function lighthouseOf(browser: Browser, url: string) {
  const runs: Audit[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await audit(browser, url));
  const scores = Object.fromEntries(
    CATEGORIES.map((category) => [category, median(runs.map((run) => run.scores[category]))]),
  ) as Record<Category, number>;
  const byPerformance = [...runs].sort((a, b) => a.scores.performance - b.scores.performance);
  return { scores, all: runs, example: byPerformance[Math.floor(byPerformance.length / 2)]! };
}

async function runBench(): Promise<void> {
  console.log(`bench:web — load average ${loadAverage()} at start`);
  const nobody = `http://127.0.0.1:${await plainPort()}`;
  const parts = await startBenchParts('bench_web', PARTS, {
    // Neither page needs an account: auth and order are left out.
    env: () => ({ AUTH_URL: nobody, ORDER_URL: nobody }),
  });
  console.log(`the parts' logs: ${parts.logFile}`);
  // A second storefront beside it, without its page cache: what the cache buys.
  const uncachedUrl = `http://127.0.0.1:${await plainPort()}`;
  const uncached = startProcess(
    PARTS[1][1],
    { ...parts.env, WEB_PORT: new URL(uncachedUrl).port, WEB_PAGE_CACHE_MS: '0' },
    parts.logFile,
  );
  const misses: string[] = [];
  const browser = await waitFor(`${uncachedUrl}/ready`)
    .then(() => startChromium())
    .catch(async (error: unknown) => {
      await Promise.all([stopProcess(uncached), parts.stop()]);
      throw error;
    });
  try {
    const { url } = parts;
    const first = (await (await fetch(`${url.catalog}${CATALOG_QUERY}`)).json()) as {
      items: { id: number; imageUrl: string | null }[];
    };
    const product = first.items.find((item) => item.imageUrl !== null) ?? first.items[0];
    if (!product) throw new Error('the demo catalog has no products');
    const pages = [
      { name: 'catalog /', url: `${url.web}/` },
      { name: `product /products/${product.id}`, url: `${url.web}/products/${product.id}` },
    ];
    for (const page of pages) await (await fetch(page.url)).text();

    // Lighthouse
    console.log(`\nLighthouse ${RUNS}× per page, mobile profile (median per category)`);
    const audits = [];
    for (const page of pages) audits.push({ page, ...(await lighthouseOf(browser, page.url)) });
    printTable(
      audits.map(({ page, scores, all }) => ({
        page: page.name,
        ...Object.fromEntries(
          CATEGORIES.map((category) => [
            category,
            `${scores[category]} (${all.map((run) => run.scores[category]).join('/')})`,
          ]),
        ),
      })),
    );
    for (const { page, scores, example } of audits) {
      const below = CATEGORIES.filter((category) => scores[category] < SCORE_TARGET);
      for (const category of below) {
        misses.push(`Lighthouse ${category} on ${page.name}: ${scores[category]} < ${SCORE_TARGET}`);
        console.log(`  ${page.name}, ${category}: the audits that cost points (median run)`);
        for (const failure of example.failures.filter((f) => f.category === category).slice(0, 6))
          console.log(
            `    -${failure.points.toFixed(1)}  ${failure.title}${failure.display ? `: ${failure.display}` : ''}`,
          );
      }
    }

    // The catalog page's weight
    const { resources, acceptEncoding } = audits[0]!.example;
    const counted = resources.filter((resource) => !resource.mimeType.startsWith('image/'));
    const weight = counted.reduce((sum, resource) => sum + resource.transferred, 0);
    console.log(`\nthe catalog page as Chromium loaded it (Accept-Encoding: ${acceptEncoding})`);
    printTable(
      resources.map((resource) => ({
        resource: new URL(resource.url).pathname + new URL(resource.url).search,
        type: resource.mimeType,
        encoding: resource.encoding,
        'transferred B': resource.transferred,
        'decoded B': resource.size,
        counted: resource.mimeType.startsWith('image/') ? 'no (image)' : 'yes',
      })),
    );
    console.log(
      `catalog page weight without images: ${kb(weight)} KB in ${counted.length} resources (target <= ${WEIGHT_TARGET_KB} KB)`,
    );
    if (weight > WEIGHT_TARGET_KB * 1024)
      misses.push(`catalog page weight: ${kb(weight)} KB > ${WEIGHT_TARGET_KB} KB`);

    // The catalog page under load, beside the catalog's own read
    const cached = await fetch(`${url.catalog}${CATALOG_QUERY}`);
    await cached.body?.cancel();
    if (cached.headers.get('X-Cache') !== 'HIT') throw new Error(`GET ${CATALOG_QUERY} is not a cache hit`);
    const headers = { 'Accept-Encoding': acceptEncoding, 'Accept-Language': 'en' };
    const targets: LoadTarget[] = [
      { name: 'storefront GET / (catalog page)', url: `${url.web}/`, headers },
      { name: `catalog GET ${CATALOG_QUERY}`, url: `${url.catalog}${CATALOG_QUERY}`, headers },
      { name: 'storefront GET /, WEB_PAGE_CACHE_MS=0', url: `${uncachedUrl}/`, headers },
    ];
    console.log(
      `\n${CONNECTIONS} connections, ${DURATION_S} s per target as ${SLICES} interleaved slices; load average ${loadAverage()}`,
    );
    const results = await loadInterleaved(targets, {
      connections: CONNECTIONS,
      durationS: DURATION_S,
      slices: SLICES,
      warmupS: WARMUP_S,
    });
    printLoadTable(targets, results);
    const [page, catalog, rendered] = results;
    console.log(
      `storefront catalog page / catalog GET /products: ${(page!.rps / catalog!.rps).toFixed(2)} of its req/s (page cache off: ${(rendered!.rps / catalog!.rps).toFixed(2)}); p99 ${page!.p99} ms (target <= ${P99_TARGET_MS} ms)`,
    );
    if (page!.p99 > P99_TARGET_MS) misses.push(`catalog page p99: ${page!.p99} ms > ${P99_TARGET_MS} ms`);
    if (page!.errors + page!.non2xx > 0)
      misses.push(`catalog page: ${page!.errors} errors, ${page!.non2xx} answers not 2xx`);
    console.log(`load average ${loadAverage()} at the end`);
  } finally {
    await browser.close();
    await Promise.all([stopProcess(uncached), parts.stop()]);
  }
  if (misses.length > 0) {
    console.log(`\nbench:web: ${misses.length} target(s) missed:`);
    for (const miss of misses) console.log(`  MISSED ${miss}`);
    process.exitCode = 1;
  } else {
    console.log('\nbench:web: every target met');
  }
}

await runBench();

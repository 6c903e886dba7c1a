import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts a TypeScript entry point as its own process (so the load generator never shares its
 * event loop). Its output goes to the bench's terminal, or to `logFile` as a log collector
 * would take it.
 */
export function startProcess(entry: string, env: Record<string, string>, logFile?: string): ChildProcess {
  const out = logFile === undefined ? 'inherit' : openSync(logFile, 'a');
  // BENCH_NODE_ARGS: extra Node flags for the shop's processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const extra = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...extra, '--conditions=source', entry], {
    env: { ...process.env, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', out, out],
  });
  if (typeof out === 'number') closeSync(out);
  return child;
}

/**
 * A free port below 60000. @hono/node-server re-parses a URL whose Host carries a port of 60000 or
 * more (the catalog's fast path leaves those requests to Hono); the shop's real ports are 3000-3006.
 */
export async function plainPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 60_000) return port;
  }
}

export async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Answers by status code. */
  statuses?: Record<string, number>;
}

/** Runs autocannon and keeps the figures we report. */
export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon(options);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([status, { count = 0 }]) => [status, count]),
    ),
  };
}

export function printTable(rows: Record<string, string | number>[]): void {
  console.table(rows);
}

/** The three load averages (1, 5, 15 min), as the bench prints them beside its figures. */
export const loadAverage = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** One figure per target from its slices: mean throughput, median latencies, summed failures. */
function combine(slices: LoadResult[]): LoadResult {
  return {
    rps: slices.reduce((sum, slice) => sum + slice.rps, 0) / slices.length,
    p50: median(slices.map((slice) => slice.p50)),
    p99: median(slices.map((slice) => slice.p99)),
    errors: slices.reduce((sum, slice) => sum + slice.errors, 0),
    non2xx: slices.reduce((sum, slice) => sum + slice.non2xx, 0),
  };
}

export interface LoadTarget {
  name: string;
  url: string;
  headers?: Record<string, string>;
}

/**
 * Loads each target for `durationS` seconds at `connections`, after `warmupS` unmeasured seconds
 * each, as `slices` interleaved slices: a burst of load from anything else on the machine falls
 * on every target alike instead of on one. One figure per target (p50/p99: median over the slices).
 */
export async function loadInterleaved(
  targets: readonly LoadTarget[],
  options: { connections: number; durationS: number; slices: number; warmupS: number },
): Promise<LoadResult[]> {
  const { connections, durationS, slices, warmupS } = options;
  const sliceS = durationS / slices;
  const run = (target: LoadTarget, duration: number) =>
    load({ url: target.url, headers: target.headers, connections, duration });
  for (const target of targets) await run(target, warmupS);
  const measured: LoadResult[][] = targets.map(() => []);
  for (let slice = 1; slice <= slices; slice++) {
    console.log(`  slice ${slice}/${slices}`);
    for (const [i, target] of targets.entries()) measured[i]!.push(await run(target, sliceS));
  }
  return measured.map(combine);
}

/** The table of `loadInterleaved`'s figures, a row per target. */
export function printLoadTable(targets: readonly LoadTarget[], results: readonly LoadResult[]): void {
  printTable(
    targets.map((target, i) => ({
      target: target.name,
      'req/s': Math.round(results[i]!.rps),
      'p50 ms': results[i]!.p50,
      'p99 ms': results[i]!.p99,
      'errors/non-2xx': `${results[i]!.errors}/${results[i]!.non2xx}`,
    })),
  );
}

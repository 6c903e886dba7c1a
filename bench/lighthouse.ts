/**
 * Lighthouse (the npm package) on Debian's Chromium: a headless browser of the bench's own with a
 * fresh profile, and one audit of a page with Lighthouse's default (mobile) settings: its scores,
 * the audits that cost points, and what the browser fetched, as it negotiated it.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import lighthouse from 'lighthouse';

export const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
export type Category = (typeof CATEGORIES)[number];

// The machine's network is closed: without the background-networking flags Chromium's own
// connections (updates, sync, field trials) are refused and slow every page it loads.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface Browser {
  /** The DevTools port Lighthouse drives it by. */
  port: number;
  close(): Promise<void>;
}

/** Starts Chromium (CHROMIUM_PATH, else /usr/bin/chromium) with a fresh --user-data-dir. */
export async function startChromium(): Promise<Browser> {
  const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const profile = await mkdtemp(join(tmpdir(), 'bench-web-chromium-'));
  const child = spawn(
    executable,
    [...FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'],
    // Its own process group: closing it ends its renderers too.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid)
      process.kill(-child.pid, 'SIGTERM');
    await exited;
    await rm(profile, { recursive: true, force: true });
  };
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${executable} did not open DevTools within 30 s`)),
      30_000,
    );
    child.once('error', (error) =>
      reject(new Error(`cannot start ${executable} (run scripts/install-browser.sh): ${error.message}`)),
    );
    createInterface({ input: child.stderr }).on('line', (line) => {
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  }).catch(async (error: unknown) => {
    await close();
    throw error;
  });
  return { port, close };
}

/** One resource the page loaded: bytes on the wire (headers included) and before decoding. */
export interface Resource {
  url: string;
  type: string;
  mimeType: string;
  /** `Content-Encoding` of the answer, `identity` when none. */
  encoding: string;
  transferred: number;
  size: number;
}

/** An audit that cost its category points, and how many of the category's 100. */
export interface Failure {
  category: Category;
  title: string;
  display: string;
  points: number;
}

export interface Audit {
  scores: Record<Category, number>;
  failures: Failure[];
  resources: Resource[];
  /** The browser's Accept-Encoding on the page's request. */
  acceptEncoding: string;
}

interface ProtocolEvent {
  method: string;
  params: {
    requestId?: string;
    type?: string;
    encodedDataLength?: number;
    dataLength?: number;
    /** The headers a request went out with (`requestWillBeSentExtraInfo`). */
    headers?: Record<string, string>;
    response?: { url: string; mimeType: string; headers: Record<string, string> };
  };
}

const header = (headers: Record<string, string> | undefined, name: string) =>
  Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];

/** What the browser fetched, from the run's DevTools protocol log. */
function resourcesOf(log: readonly ProtocolEvent[]): { resources: Resource[]; acceptEncoding: string } {
  const byId = new Map<string, Resource>();
  let acceptEncoding = '';
  for (const { method, params } of log) {
    const id = params.requestId ?? '';
    if (method === 'Network.requestWillBeSentExtraInfo' && !acceptEncoding)
      acceptEncoding = header(params.headers, 'accept-encoding') ?? '';
    if (method === 'Network.responseReceived' && params.response) {
      byId.set(id, {
        url: params.response.url,
        type: params.type ?? '',
        mimeType: params.response.mimeType,
        encoding: header(params.response.headers, 'content-encoding') ?? 'identity',
        transferred: 0,
        size: 0,
      });
    }
    const resource = byId.get(id);
    if (method === 'Network.dataReceived' && resource) resource.size += params.dataLength ?? 0;
    if (method === 'Network.loadingFinished' && resource)
      resource.transferred = params.encodedDataLength ?? 0;
  }
  return { resources: [...byId.values()], acceptEncoding };
}

/** Lighthouse's default run (the mobile profile: a mid-range phone on slow 4G) of `url`. */
export async function audit(browser: Browser, url: string): Promise<Audit> {
  const result = await lighthouse(url, {
    port: browser.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: [...CATEGORIES],
  });
  if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
  const { lhr, artifacts } = result;
  if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.message}`);
  const scores = {} as Record<Category, number>;
  const failures: Failure[] = [];
  for (const category of CATEGORIES) {
    const { score, auditRefs } = lhr.categories[category]!;
    scores[category] = Math.round((score ?? 0) * 100);
    const weights = auditRefs.reduce((sum, ref) => sum + ref.weight, 0);
    for (const ref of auditRefs) {
      const result = lhr.audits[ref.id];
      if (!result || ref.weight === 0 || result.score === null || result.score >= 1) continue;
      failures.push({
        category,
        title: result.title,
        display: result.displayValue ?? '',
        points: (ref.weight / weights) * (1 - result.score) * 100,
      });
    }
  }
  failures.sort((a, b) => b.points - a.points);
  return { scores, failures, ...resourcesOf(artifacts.DevtoolsLog as unknown as ProtocolEvent[]) };
}

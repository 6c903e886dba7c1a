/**
 * The parts of the shop as processes: what each one is, how to start it from its sources, how to
 * know it is ready and how to stop it. `npm start` and the suites that run the whole system as real
 * processes (end to end, browser, chaos, scale-out) all use this one module.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type PartName = 'sandbox' | 'auth' | 'catalog' | 'order' | 'payment' | 'notification' | 'web' | 'bot';

export interface PartSpec {
  name: PartName;
  /** Package directory, relative to the repository root. */
  dir: string;
  /** The variable holding its port (see `ports` in services/shared). */
  portVar: `${Uppercase<PartName>}_PORT`;
  /** ANSI colour of its log prefix. */
  color: number;
}

/** In start order: the sandbox before the bot that polls it. */
export const PARTS: readonly PartSpec[] = [
  { name: 'sandbox', dir: 'services/sandbox', portVar: 'SANDBOX_PORT', color: 90 },
  { name: 'auth', dir: 'services/auth', portVar: 'AUTH_PORT', color: 36 },
  { name: 'catalog', dir: 'services/catalog', portVar: 'CATALOG_PORT', color: 32 },
  { name: 'order', dir: 'services/order', portVar: 'ORDER_PORT', color: 33 },
  { name: 'payment', dir: 'services/payment', portVar: 'PAYMENT_PORT', color: 35 },
  { name: 'notification', dir: 'services/notification', portVar: 'NOTIFICATION_PORT', color: 34 },
  { name: 'web', dir: 'services/web', portVar: 'WEB_PORT', color: 96 },
  { name: 'bot', dir: 'bot', portVar: 'BOT_PORT', color: 31 },
];

export const repositoryRoot = new URL('../../', import.meta.url);

export const partSpec = (name: PartName): PartSpec => {
  const spec = PARTS.find((part) => part.name === name);
  if (!spec) throw new Error(`unknown part ${name}`);
  return spec;
};

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface PartProcess {
  spec: PartSpec;
  child: ChildProcess;
  /** Settles when the process has exited, however it ended. */
  exited: Promise<ExitInfo>;
}

/**
 * Starts one part from its TypeScript sources (`node --conditions=source src/main.ts`), or with
 * `compiled` from the output of `npm run build` as the Docker image runs it (`node dist/main.js`,
 * type stripping off so that a stray import of a .ts file fails), every line it prints on stdout
 * or stderr handed to `onLine`.
 */
export function spawnPart(
  spec: PartSpec,
  options: { env: NodeJS.ProcessEnv; onLine: (line: string) => void; compiled?: boolean },
): PartProcess {
  const args = options.compiled
    ? ['--no-experimental-strip-types', 'dist/main.js']
    : ['--conditions=source', 'src/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: new URL(spec.dir, repositoryRoot),
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', options.onLine);
  }
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // A process that cannot be spawned at all never emits 'exit'.
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  return { spec, child, exited };
}

/** Resolves once `GET /ready` on `port` answers 200 with a JSON status; throws after `timeoutMs`. */
export async function waitReady(
  name: string,
  port: number,
  options: { timeoutMs?: number; cancelled?: () => boolean } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 90_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !options.cancelled?.()) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(2_000) });
      const body: unknown = await res.json();
      if (res.ok && typeof body === 'object' && body !== null && 'status' in body) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!options.cancelled?.())
    throw new Error(`${name} did not become ready on port ${port} within ${timeoutMs / 1000} s`);
}

/**
 * Sends `signal` (SIGTERM: a graceful stop) and waits for the exit; a process still running after
 * `killAfterMs` gets SIGKILL.
 */
export async function stopPart(
  part: PartProcess,
  options: { signal?: NodeJS.Signals; killAfterMs?: number } = {},
): Promise<ExitInfo> {
  if (part.child.exitCode === null && part.child.signalCode === null) {
    part.child.kill(options.signal ?? 'SIGTERM');
  }
  const timer = setTimeout(() => part.child.kill('SIGKILL'), options.killAfterMs ?? 15_000);
  try {
    return await part.exited;
  } finally {
    clearTimeout(timer);
  }
}

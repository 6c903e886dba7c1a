import { Worker } from 'node:worker_threads';
import { AppError } from '@shop/shared';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** Throws `HasherBusyError` when a job would be refused now: a caller can refuse before any other work. */
  ensureRoom(): void;
  close(): Promise<void>;
}

/** The hasher's queue is full: the caller is told to come back instead of waiting in line. */
export class HasherBusyError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(
      503,
      'service_unavailable',
      'Too many passwords are being checked right now; try again in a few seconds',
      { retryAfterSeconds },
      { 'Retry-After': String(retryAfterSeconds) },
    );
    this.name = 'HasherBusyError';
  }
}

export interface HasherOptions {
  cost: number;
  workers: number;
  /** Jobs that may wait for a worker; one more is refused with `HasherBusyError`. */
  queueMax: number;
}

type Job = { op: 'hash'; password: string; cost: number } | { op: 'verify'; password: string; hash: string };
type WorkerResult = { ok: true; value: string | boolean } | { ok: false; error: string };
interface Pending {
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}

// Assumed until a job has been timed: bcrypt at cost 12 on one core.
const FIRST_ESTIMATE_MS = 300;

// The worker is a .ts file under Node's type stripping and a .js file once compiled.
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './bcrypt-worker.ts' : './bcrypt-worker.js',
  import.meta.url,
);

/**
 * bcrypt on a small pool of worker threads: a login costs ~100 ms of CPU at cost 12, and on the
 * main thread that would stall every other request in the process. The line of jobs waiting for a
 * worker is bounded: past `queueMax` a job is refused at once, so a flood of logins cannot make
 * every caller wait longer than its client's timeout.
 */
export function createPasswordHasher({ cost, workers, queueMax }: HasherOptions): PasswordHasher {
  let jobMs = FIRST_ESTIMATE_MS;
  const pool = Array.from({ length: workers }, () => {
    const lane = { worker: new Worker(workerUrl), queue: [] as Pending[], startedAt: 0 };
    lane.worker.unref();
    // Each worker answers its jobs in order, so one FIFO per worker pairs answers with callers.
    lane.worker.on('message', (result: WorkerResult) => {
      const now = performance.now();
      jobMs = 0.8 * jobMs + 0.2 * (now - lane.startedAt);
      lane.startedAt = now;
      const pending = lane.queue.shift();
      if (result.ok) pending?.resolve(result.value);
      else pending?.reject(new Error(result.error));
    });
    lane.worker.on('error', (error: Error) => {
      for (const pending of lane.queue.splice(0)) pending.reject(error);
    });
    return lane;
  });

  const leastBusy = () =>
    pool.reduce((least, candidate) => (candidate.queue.length < least.queue.length ? candidate : least));
  const ensureRoom = () => {
    if (leastBusy().queue.length === 0) return;
    // Every job in a lane but its first is waiting.
    const waiting = pool.reduce((sum, { queue }) => sum + Math.max(0, queue.length - 1), 0);
    if (waiting >= queueMax) {
      throw new HasherBusyError(Math.max(1, Math.ceil(((waiting / workers) * jobMs) / 1000)));
    }
  };

  const run = (job: Job) =>
    new Promise<string | boolean>((resolve, reject) => {
      // A throw here rejects the promise: the job is refused without entering any queue.
      ensureRoom();
      const lane = leastBusy();
      if (lane.queue.length === 0) lane.startedAt = performance.now();
      lane.queue.push({ resolve, reject });
      lane.worker.postMessage(job);
    });

  return {
    hash: async (password) => (await run({ op: 'hash', password, cost })) as string,
    verify: async (password, hash) => (await run({ op: 'verify', password, hash })) as boolean,
    ensureRoom,
    close: async () => {
      await Promise.all(pool.map(({ worker }) => worker.terminate()));
    },
  };
}

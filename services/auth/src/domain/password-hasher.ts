import { Worker } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  close(): Promise<void>;
}

type Job = { op: 'hash'; password: string; cost: number } | { op: 'verify'; password: string; hash: string };
type WorkerResult = { ok: true; value: string | boolean } | { ok: false; error: string };
interface Pending {
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}

// The worker is a .ts file under Node's type stripping and a .js file once compiled.
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './bcrypt-worker.ts' : './bcrypt-worker.js',
  import.meta.url,
);

/**
 * bcrypt on a small pool of worker threads: a login costs ~100 ms of CPU at cost 12, and on the
 * main thread that would stall every other request in the process.
 */
export function createPasswordHasher({ cost, workers }: { cost: number; workers: number }): PasswordHasher {
  const pool = Array.from({ length: workers }, () => {
    const lane = { worker: new Worker(workerUrl), queue: [] as Pending[] };
    lane.worker.unref();
    // Each worker answers its jobs in order, so one FIFO per worker pairs answers with callers.
    lane.worker.on('message', (result: WorkerResult) => {
      const pending = lane.queue.shift();
      if (result.ok) pending?.resolve(result.value);
      else pending?.reject(new Error(result.error));
    });
    lane.worker.on('error', (error: Error) => {
      for (const pending of lane.queue.splice(0)) pending.reject(error);
    });
    return lane;
  });

  const run = (job: Job) =>
    new Promise<string | boolean>((resolve, reject) => {
      const lane = pool.reduce((least, candidate) =>
        candidate.queue.length < least.queue.length ? candidate : least,
      );
      lane.queue.push({ resolve, reject });
      lane.worker.postMessage(job);
    });

  return {
    hash: async (password) => (await run({ op: 'hash', password, cost })) as string,
    verify: async (password, hash) => (await run({ op: 'verify', password, hash })) as boolean,
    close: async () => {
      await Promise.all(pool.map(({ worker }) => worker.terminate()));
    },
  };
}

/** True when bcrypt would silently ignore part of the password (over 72 bytes). */
export const passwordTooLongForBcrypt = (password: string): boolean => bcrypt.truncates(password);

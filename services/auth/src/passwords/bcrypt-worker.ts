import { parentPort } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

type Job = { op: 'hash'; password: string; cost: number } | { op: 'verify'; password: string; hash: string };

parentPort?.on('message', (job: Job) => {
  try {
    const value =
      job.op === 'hash'
        ? bcrypt.hashSync(job.password, job.cost)
        : bcrypt.compareSync(job.password, job.hash);
    parentPort?.postMessage({ ok: true, value });
  } catch (error) {
    parentPort?.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});

import type { ServiceKit } from './kit.ts';

/** What `startPeriodicTask` runs, and how often. */
export interface PeriodicTaskOptions {
  /** Names the task in its closer and in the warning logged when a run fails. */
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
}

/**
 * Runs `run` every `intervalMs` (first after one interval) without keeping the process alive; a
 * failed run is logged and the next one comes as planned. Shutdown stops the timer and waits for
 * a run in flight, so it never meets a closed pool.
 */
export function startPeriodicTask(kit: ServiceKit, { name, intervalMs, run }: PeriodicTaskOptions): void {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    running ??= run()
      .catch((error: unknown) => kit.logger.warn({ err: error, task: name }, `${name} failed`))
      .finally(() => (running = undefined));
  }, intervalMs).unref();
  kit.addCloser(name, async () => {
    clearInterval(timer);
    await running;
  });
}

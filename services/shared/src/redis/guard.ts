import type { Logger } from '../logger/index.ts';
import type { Redis } from 'ioredis';

export interface RedisGuardOptions {
  /** A command without an answer after this long is abandoned and counts as an outage. */
  timeoutMs: number;
  /** How often to PING while Redis is considered down. */
  probeIntervalMs: number;
  logger: Logger;
  /** Logged once when an outage starts: what is done meanwhile. */
  downMessage: string;
  /** Logged once when Redis answers again. */
  upMessage: string;
}

/** Raised when Redis did not answer within the guard's deadline. */
export class RedisTooSlowError extends Error {
  constructor(ms: number) {
    super(`redis did not answer within ${ms} ms`);
    this.name = 'RedisTooSlowError';
  }
}

/**
 * Settles with `promise`, or rejects once `ms` have passed without an answer. When the timer
 * fires, one more event-loop turn runs first: if this process itself was stalled (GC, CPU
 * starvation), Redis's reply is already waiting in the socket and wins; only a reply that
 * really is late counts as slow. A plain timer (ioredis' commandTimeout) can't tell the two apart.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => setImmediate(() => reject(new RedisTooSlowError(ms))), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Circuit breaker around a Redis client whose work has a fallback (the catalog's cache, the
 * notification service's shared pace). The first failed or slow command opens it and logs
 * `downMessage` once; while open, `run` answers undefined without waiting, so the caller falls
 * back at once. A PING probe closes it again and logs `upMessage` once.
 */
export class RedisGuard {
  readonly #redis: Redis;
  readonly #options: RedisGuardOptions;
  readonly #recoveryListeners: (() => void)[] = [];
  #up = true;
  #probe: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(redis: Redis, options: RedisGuardOptions) {
    this.#redis = redis;
    this.#options = options;
  }

  get up(): boolean {
    return this.#up;
  }

  /** Runs a Redis command; undefined when Redis is down or the command fails or is too slow. */
  async run<T>(command: (redis: Redis) => Promise<T>): Promise<T | undefined> {
    if (!this.#up) return undefined;
    try {
      return await withDeadline(command(this.#redis), this.#options.timeoutMs);
    } catch (error) {
      this.fail(error);
      return undefined;
    }
  }

  /** Marks Redis as down (logging once per outage) and starts probing for its return. */
  fail(error: unknown): void {
    if (!this.#up || this.#closed) return;
    this.#up = false;
    this.#options.logger.warn({ err: error }, this.#options.downMessage);
    this.#probe = setInterval(() => void this.#check(), this.#options.probeIntervalMs);
    this.#probe.unref();
  }

  onRecover(listener: () => void): void {
    this.#recoveryListeners.push(listener);
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#probe);
  }

  async #check(): Promise<void> {
    try {
      await withDeadline(this.#redis.ping(), this.#options.timeoutMs);
    } catch {
      return;
    }
    if (this.#up || this.#closed) return;
    clearInterval(this.#probe);
    this.#up = true;
    this.#options.logger.info(this.#options.upMessage);
    for (const listener of this.#recoveryListeners) listener();
  }
}

/** QUIT when connected (lets replies drain); a client that is still (re)connecting is just dropped. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status !== 'ready') return client.disconnect();
  await client.quit().catch(() => client.disconnect());
}

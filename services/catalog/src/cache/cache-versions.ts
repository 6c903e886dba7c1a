import type { Logger, RedisGuard } from '@shop/shared';
import type { Redis } from 'ioredis';
import { defineRaiseVersion, raiseVersion } from './raise-version.ts';

export interface CacheVersionsOptions {
  redis: Redis;
  /** A second connection for SUBSCRIBE (a subscribed connection can run nothing else). */
  subscriber: Redis;
  guard: RedisGuard;
  versionKey: string;
  channel: string;
  /** The version PostgreSQL holds: the truth Redis is repaired from. */
  readDatabaseVersion: () => Promise<number>;
  syncIntervalMs: number;
  logger: Logger;
}

/**
 * Which cache version is current. Every write bumps the version in PostgreSQL and then raises it
 * in Redis and publishes it; replicas learn it over pub/sub, so while subscribed a replica knows
 * the version without asking Redis. A periodic sync with PostgreSQL repairs a raise that a crash
 * or an outage lost. Cached answers live under versioned keys: a reader that fetched old rows
 * can only ever store them under the old version, which nobody reads once the new one is out.
 */
export class CacheVersions {
  readonly #o: CacheVersionsOptions;
  readonly #listeners: ((version: number) => void)[] = [];
  #known = 0;
  #subscribed = false;
  #synced = false;
  #syncing: Promise<void> | undefined;
  #syncAgain = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: CacheVersionsOptions) {
    this.#o = options;
    defineRaiseVersion(options.redis);
  }

  /** True while pub/sub is live and Redis answers: `known` is then current without asking Redis. */
  get trusted(): boolean {
    return this.#subscribed && this.#synced && this.#o.guard.up;
  }

  /** The highest version this process has seen (its own writes included). */
  get known(): number {
    return this.#known;
  }

  start(): void {
    const { subscriber, channel, guard, syncIntervalMs } = this.#o;
    subscriber.on('message', (from: string, message: string) => {
      if (from === channel) this.#observe(Number(message));
    });
    subscriber.on('ready', () => void this.sync());
    subscriber.on('close', () => {
      // Messages sent while we are not subscribed are lost: stop trusting `known` until re-synced.
      this.#subscribed = false;
      this.#synced = false;
    });
    guard.onRecover(() => void this.sync());
    this.#timer = setInterval(() => void this.sync(), syncIntervalMs);
    this.#timer.unref();
    if (subscriber.status === 'ready') void this.sync();
  }

  onChange(listener: (version: number) => void): void {
    this.#listeners.push(listener);
  }

  /** The version to read and fill under, or undefined when Redis can't be used. */
  async current(): Promise<number | undefined> {
    if (this.trusted) return this.#known;
    const { guard, versionKey } = this.#o;
    const stored = await guard.run((redis) => redis.get(versionKey));
    if (stored === undefined) return undefined;
    if (stored === null) {
      // Redis lost the key (restart, eviction): put PostgreSQL's version back before using it.
      await this.sync();
      return guard.up ? this.#known : undefined;
    }
    this.#observe(Number(stored));
    return this.#known;
  }

  /** After a write committed with `version`: raise and announce it. A failure is repaired by `sync`. */
  async publish(version: number): Promise<void> {
    this.#observe(version);
    await this.#raise(version);
  }

  /**
   * Subscribes if needed, then raises Redis to PostgreSQL's version and adopts the result. A call
   * during a running sync makes it run once more: the connection may have dropped since it began.
   */
  sync(): Promise<void> {
    if (this.#syncing) {
      this.#syncAgain = true;
      return this.#syncing;
    }
    this.#syncing = (async () => {
      do {
        this.#syncAgain = false;
        await this.#sync();
      } while (this.#rerunRequested());
    })().finally(() => (this.#syncing = undefined));
    return this.#syncing;
  }

  close(): void {
    clearInterval(this.#timer);
  }

  // A method, not the field inline: the field changes across the await, which flow analysis can't see.
  #rerunRequested(): boolean {
    return this.#syncAgain;
  }

  async #sync(): Promise<void> {
    const { subscriber, channel, readDatabaseVersion, logger } = this.#o;
    try {
      if (subscriber.status === 'ready' && !this.#subscribed) {
        await subscriber.subscribe(channel);
        this.#subscribed = true;
      }
      const raised = await this.#raise(await readDatabaseVersion());
      this.#synced = raised !== undefined;
    } catch (error) {
      this.#synced = false;
      logger.debug({ err: error }, 'cache version sync failed; will retry');
    }
  }

  async #raise(version: number): Promise<number | undefined> {
    const { guard, versionKey, channel } = this.#o;
    const stored = await guard.run((redis) => raiseVersion(redis, versionKey, version, channel));
    if (stored !== undefined) this.#observe(stored);
    return stored;
  }

  #observe(version: number): void {
    if (!Number.isSafeInteger(version) || version <= this.#known) return;
    this.#known = version;
    for (const listener of this.#listeners) listener(version);
  }
}

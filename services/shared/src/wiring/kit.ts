import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import type { BaseConfig } from '../config/index.ts';
import type { ReadinessCheck } from '../http/health.ts';
import type { Closer } from '../lifecycle/serve.ts';

/**
 * What a service's wiring lets a caller (a test, a bench, a replica of the shop) change, the same
 * names in every service. Production passes none of them.
 */
export interface ServiceWiringOptions {
  /** The service's database; `${DATABASE_PREFIX}_<service>` unless given. */
  dbName?: string;
  /** Topic exchange the service publishes to and consumes from; `shop.events` unless given. */
  exchange?: string;
  /**
   * Consumer queues are `<queuePrefix>.<name>`; the prefix is the service's name unless given.
   * A queue's name is also its inbox key, so the default names never change between deploys.
   */
  queuePrefix?: string;
  /** Prefix of every Redis key the service writes; `<service>:` unless given. */
  keyPrefix?: string;
  /** Delays before each retry of a failed message; then the dead-letter queue. */
  retryDelaysMs?: readonly number[];
  /** Where access-token keys come from; auth's JWKS at `AUTH_URL` unless given. */
  keys?: JWTVerifyGetKey;
}

/**
 * Collects what a service's capabilities need at run time: the readiness checks `/ready` runs
 * and the closers shutdown runs. Each `connect…`/`start…` building block adds its own.
 */
export interface ServiceKit {
  /** The service's name: its database suffix, connection names, default queue and key prefixes. */
  readonly service: string;
  readonly config: BaseConfig;
  readonly logger: Logger;
  readonly options: ServiceWiringOptions;
  /** Checks in the order their capabilities were added; pass to `createServiceApp`. */
  readonly readiness: readonly ReadinessCheck[];
  /**
   * Closers in REVERSE order of creation: what was built on a dependency stops before it (the
   * consumers before the relay, the broker, Redis and PostgreSQL). A fresh array on each read.
   */
  readonly closers: Closer[];
  /** Adds a `/ready` check. */
  addReadiness(check: ReadinessCheck): void;
  /** Adds a step to shutdown; it runs before every closer added earlier. */
  addCloser(name: string, close: () => unknown): void;
  /** The queue named `name` of this service: `<queuePrefix>.<name>`. */
  queue(name: string): string;
}

/** What `createServiceKit` needs: the service's name, its parsed config, its logger and the caller's options. */
export interface ServiceKitOptions {
  service: string;
  config: BaseConfig;
  logger: Logger;
  options?: ServiceWiringOptions;
}

/** Starts a service's wiring: capabilities are then added with `connectPostgres`, `connectBroker`, … */
export function createServiceKit({ service, config, logger, options = {} }: ServiceKitOptions): ServiceKit {
  const readiness: ReadinessCheck[] = [];
  const closers: Closer[] = [];
  const queuePrefix = options.queuePrefix ?? service;
  return {
    service,
    config,
    logger,
    options,
    readiness,
    get closers() {
      return closers.toReversed();
    },
    addReadiness(check) {
      readiness.push(check);
    },
    addCloser(name, close) {
      closers.push({ name, close: () => Promise.resolve().then(close) });
    },
    queue: (name) => `${queuePrefix}.${name}`,
  };
}

import { Redis, type RedisOptions } from 'ioredis';
import { closeRedis, RedisGuard, withDeadline } from '../redis/guard.ts';
import type { ServiceKit } from './kit.ts';

/** What a guarded Redis connection is for, how long it may take, and what to log when it goes and comes back. */
export interface RedisCapabilityOptions {
  /** What the connection is for (`cache`, `pace`): named `<service>-<purpose>` in Redis, and the log component. */
  purpose: string;
  /** A command without an answer after this long counts as an outage; the readiness ping gets as long. */
  timeoutMs: number;
  /** How often to PING while Redis is down. */
  probeIntervalMs: number;
  /** Logged once when an outage starts: what the service does meanwhile. */
  downMessage: string;
  /** Logged once when Redis answers again. */
  upMessage: string;
  /** Whether `/ready` fails without Redis (default true); false reports degraded instead. */
  critical?: boolean;
  /** How long the start waits for the first connection (default 1 s); past that Redis counts as down. */
  startWaitMs?: number;
}

/** A Redis connection behind a `RedisGuard`: use `guard.run` for every command that has a fallback. */
export interface GuardedRedis {
  readonly client: Redis;
  readonly guard: RedisGuard;
  /** Where this service's keys go: `kit.options.keyPrefix`, else `<service>:` (see defaultKeyPrefix). */
  readonly keyPrefix: string;
  /** Another connection with the same settings and guard (e.g. for SUBSCRIBE), closed with this one. */
  connection(purpose: string): Redis;
}

const START_WAIT_MS = 1_000;

function readyWithin(client: Redis, ms: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    client.once('ready', onReady);
  });
}

/**
 * Connects to Redis for work that can do without it. Commands fail fast while Redis is away (no
 * offline queue, short timeouts) and the client keeps reconnecting quickly, so a dead or slow
 * Redis costs a request nothing and the work resumes soon after it is back. The guard's deadline
 * (`timeoutMs`, see `withDeadline`) is what bounds a command; ioredis' `commandTimeout` is only
 * a backstop so that none waits for ever. Redis down at start is not an error: the start waits
 * `startWaitMs` for it, then the guard reports the outage once. `/ready` pings it within
 * `timeoutMs`; shutdown closes the guard and every connection.
 */
/**
 * `<service>:` for the shop with the default DATABASE_PREFIX; `<prefix>:<service>:` for another
 * shop on the same servers, so two shops never share login locks, caches or paces in one Redis.
 */
function defaultKeyPrefix(kit: ServiceKit): string {
  const shop = kit.config.DATABASE_PREFIX;
  return shop === 'shop' ? `${kit.service}:` : `${shop}:${kit.service}:`;
}

export async function connectRedis(kit: ServiceKit, options: RedisCapabilityOptions): Promise<GuardedRedis> {
  const { purpose, timeoutMs } = options;
  const clientOptions = {
    enableOfflineQueue: false,
    commandTimeout: Math.max(1_000, timeoutMs * 10),
    connectTimeout: 1_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
  } satisfies RedisOptions;
  const open = (name: string) =>
    new Redis(kit.config.REDIS_URL, { ...clientOptions, connectionName: `${kit.service}-${name}` });
  const client = open(purpose);
  const guard = new RedisGuard(client, {
    timeoutMs,
    probeIntervalMs: options.probeIntervalMs,
    logger: kit.logger.child({ component: purpose }),
    downMessage: options.downMessage,
    upMessage: options.upMessage,
  });
  const clients: Redis[] = [];
  const watched = (connection: Redis) => {
    // Connection errors repeat on every reconnect attempt; the guard logs one line per outage.
    connection.on('error', (error) => guard.fail(error));
    clients.push(connection);
    return connection;
  };
  watched(client);
  kit.addReadiness({
    name: 'redis',
    critical: options.critical ?? true,
    check: () => withDeadline(client.ping(), timeoutMs),
  });
  kit.addCloser('redis', async () => {
    guard.close();
    await Promise.all(clients.map(closeRedis));
  });
  if (!(await readyWithin(client, options.startWaitMs ?? START_WAIT_MS)))
    guard.fail(new Error('not connected at start'));
  return {
    client,
    guard,
    keyPrefix: kit.options.keyPrefix ?? defaultKeyPrefix(kit),
    connection: (name) => watched(open(name)),
  };
}

import {
  checkDatabase,
  createBroker,
  createOutboxRelay,
  type Closer,
  type ReadinessCheck,
} from '@shop/shared';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import type { AuthConfig } from './config.ts';
import { openAuthDatabase } from './db/database.ts';
import type { AuthDeps } from './domain/deps.ts';
import { createFailureLock } from './domain/failure-lock.ts';
import { createLoginThrottle } from './domain/login-throttle.ts';
import { createPasswordHasher } from './domain/password-hasher.ts';
import { createPasswordRateLimit } from './domain/rate-limit.ts';
import { createServiceTokenCheck } from './domain/service-token.ts';
import { createClientGate } from './routes/client-gate.ts';
import { loadKeyRing } from './domain/signing-keys.ts';

export interface AuthWiringOptions {
  /** Defaults to `shop_auth`; tests pass a per-run name. */
  dbName?: string;
  /** Defaults to `auth:`; tests pass a per-run prefix. */
  keyPrefix?: string;
  /** Defaults to `shop.events`; tests pass a per-run exchange. */
  exchange?: string;
}

/** Connects auth to PostgreSQL and Redis and builds its app; the caller serves it and owns shutdown. */
export async function buildAuth(config: AuthConfig, logger: Logger, options: AuthWiringOptions = {}) {
  const orm = await openAuthDatabase(config, logger, options.dbName);
  // First: a key that cannot be opened stops the start before anything else is connected.
  const keys = await loadKeyRing(orm.em.fork(), {
    configuredJwk: config.JWT_PRIVATE_KEY,
    encryptionKey: config.JWT_KEY_ENCRYPTION_KEY,
  }).catch(async (error: unknown) => {
    await orm.close();
    throw error;
  });
  const redis = new Redis(config.REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: false,
  });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  await redis.connect();
  const broker = await createBroker({
    url: config.RABBITMQ_URL,
    logger,
    connectionName: 'auth',
    ...(options.exchange ? { exchange: options.exchange } : {}),
  });
  // Publishes user.telegram_linked (and whatever else auth announces) after each commit.
  const relay = createOutboxRelay({ orm, broker, logger });
  relay.start();
  const hasher = createPasswordHasher({
    cost: config.BCRYPT_COST,
    workers: config.BCRYPT_WORKERS,
    queueMax: config.BCRYPT_QUEUE_MAX,
  });
  const keyPrefix = options.keyPrefix ?? 'auth:';
  const failureLock = {
    maxFailures: config.LOGIN_MAX_FAILURES,
    lockSeconds: config.LOGIN_LOCK_SECONDS,
    maxLockSeconds: config.LOGIN_MAX_LOCK_SECONDS,
  };
  const gate = createClientGate({
    serviceToken: createServiceTokenCheck(createFailureLock(redis, failureLock), {
      secret: config.BOT_SERVICE_TOKEN,
      keyPrefix,
    }),
    rateLimit: createPasswordRateLimit(redis, {
      keyPrefix,
      perClientPerMinute: config.AUTH_RATE_PER_CLIENT_PER_MINUTE,
      totalPerSecond: config.AUTH_RATE_TOTAL_PER_SECOND,
    }),
    hasher,
    trustProxyHops: config.TRUST_PROXY_HOPS,
  });

  const deps: AuthDeps = {
    em: orm.em,
    hasher,
    throttle: createLoginThrottle(redis, { keyPrefix, ...failureLock }),
    keys,
    tokens: {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    },
    adminTelegramIds: config.ADMIN_TELEGRAM_IDS,
    decoyHash: await hasher.hash(crypto.randomUUID()),
  };
  const readiness: ReadinessCheck[] = [
    { name: 'postgres', check: () => checkDatabase(orm) },
    { name: 'redis', check: () => redis.ping() },
    { name: 'rabbitmq', check: () => broker.check() },
  ];
  const closers: Closer[] = [
    { name: 'outbox relay', close: () => relay.stop() },
    { name: 'rabbitmq', close: () => broker.close() },
    { name: 'bcrypt workers', close: () => hasher.close() },
    { name: 'redis', close: () => redis.quit() },
    { name: 'postgres', close: () => orm.close() },
  ];
  const app = createApp({ deps, gate, logger, readiness, bodyLimitBytes: config.BODY_LIMIT_BYTES });
  return { app, deps, orm, redis, broker, closers };
}

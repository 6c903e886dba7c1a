import {
  connectBroker,
  connectPostgres,
  connectRedis,
  createServiceKit,
  initDataKey,
  startOutboxRelay,
  type ServiceWiringOptions,
} from '@shop/shared';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import type { AuthConfig } from './config.ts';
import { entities } from './db/entities.ts';
import type { AuthDeps } from './deps.ts';
import { createFailureLock } from './throttle/failure-lock.ts';
import { createLoginThrottle } from './throttle/login-throttle.ts';
import { createPasswordHasher } from './passwords/password-hasher.ts';
import { createPasswordRateLimit } from './throttle/rate-limit.ts';
import { createServiceTokenCheck } from './throttle/service-token.ts';
import { announceAdmins } from './store/admin-grants.ts';
import { loadKeyRing } from './store/signing-keys.ts';
import { createClientGate } from './routes/client-gate.ts';

/** Auth's throttles keep their counts in Redis: a command slower than this counts as an outage. */
const REDIS_TIMEOUT_MS = 250;
const REDIS_PROBE_INTERVAL_MS = 1_000;

/**
 * Connects auth to PostgreSQL, Redis and RabbitMQ, starts its outbox relay and builds its app;
 * the caller serves it and owns shutdown. Without Redis, sign-ups and logins answer 503 (their
 * throttles cannot count) and `/ready` fails; tokens already issued keep working everywhere.
 */
export async function buildAuth(config: AuthConfig, logger: Logger, options: ServiceWiringOptions = {}) {
  const kit = createServiceKit({ service: 'auth', config, logger, options });
  const orm = await connectPostgres(kit, {
    entities,
    migrations: new URL('./db/migrations', import.meta.url),
  });
  // First after the database: a key that cannot be opened stops the start before anything else is connected.
  const keys = await loadKeyRing(orm.em.fork(), {
    configuredJwk: config.JWT_PRIVATE_KEY,
    encryptionKey: config.JWT_KEY_ENCRYPTION_KEY,
  }).catch(async (error: unknown) => {
    await orm.close();
    throw error;
  });
  const { client: redis, keyPrefix } = await connectRedis(kit, {
    purpose: 'throttle',
    timeoutMs: REDIS_TIMEOUT_MS,
    probeIntervalMs: REDIS_PROBE_INTERVAL_MS,
    downMessage: 'redis unavailable or slow; sign-ups and logins answer 503 until it answers',
    upMessage: 'redis is back; sign-ups and logins resumed',
  });
  const broker = await connectBroker(kit);
  // Publishes user.telegram_linked (and whatever else auth announces) after each commit.
  startOutboxRelay(kit, { orm, broker });
  // ADMIN_TELEGRAM_IDS may have changed since the last start: notification alerts whom it names.
  await announceAdmins(orm.em.fork(), config.ADMIN_TELEGRAM_IDS);
  const hasher = createPasswordHasher({
    cost: config.BCRYPT_COST,
    workers: config.BCRYPT_WORKERS,
    queueMax: config.BCRYPT_QUEUE_MAX,
  });
  kit.addCloser('bcrypt workers', () => hasher.close());
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
    miniApp: config.TELEGRAM_BOT_TOKEN
      ? { key: initDataKey(config.TELEGRAM_BOT_TOKEN), maxAgeSeconds: config.WEBAPP_AUTH_MAX_AGE_SECONDS }
      : undefined,
    decoyHash: await hasher.hash(crypto.randomUUID()),
  };
  const app = createApp({
    deps,
    gate,
    logger,
    readiness: kit.readiness,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  return { app, deps, orm, redis, broker, closers: kit.closers };
}

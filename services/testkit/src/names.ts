import { inject } from 'vitest';

/** A per-run database name, `shop_<service>_t<runId>`, dropped by the global teardown. */
export function testDatabaseName(service: string): string {
  return `shop_${service}_t${inject('runId')}`;
}

/** A per-run Redis key prefix so parallel runs never see each other's keys. */
export function testKeyPrefix(service: string): string {
  return `test:${inject('runId')}:${service}:`;
}

/**
 * An event exchange and a consumer-queue prefix of this run alone (`t<runId>.<label>`), to pass as
 * a service's wiring options: a test service never consumes the real `shop.events`.
 */
export function testEventNames(label: string): { exchange: string; queuePrefix: string } {
  const prefix = `t${inject('runId')}.${label}`;
  return { exchange: `${prefix}.events`, queuePrefix: prefix };
}

/**
 * The database prefix of suite `suite` in this run, `shop_t<runId>_<suite>`: its services'
 * databases are `<prefix>_<service>`, in-process or as processes (`DATABASE_PREFIX`). Dropped
 * by the global teardown.
 */
export function testDatabasePrefix(suite: string): string {
  return `shop_t${inject('runId')}_${suite}`;
}

/** What a service of a test names on the shared servers (its wiring options). */
export interface TestServiceNames {
  dbName: string;
  /** Topic exchange it publishes to and consumes from. */
  exchange: string;
  /** Its consumer queues are `<queuePrefix>.<name>`. */
  queuePrefix: string;
  /** Prefix of its Redis keys. */
  keyPrefix: string;
}

/**
 * The names of service `service` in suite `suite`: its own database, queues and keys, and the
 * suite's event exchange, which every service of the suite shares as a shop shares
 * `shop.events`. Two instances given the same suite are two replicas of one service.
 */
export function testServiceNames(service: string, suite: string): TestServiceNames {
  const { exchange, queuePrefix } = testEventNames(suite);
  return {
    dbName: `${testDatabasePrefix(suite)}_${service}`,
    exchange,
    queuePrefix: `${queuePrefix}.${service}`,
    keyPrefix: testKeyPrefix(`${suite}:${service}`),
  };
}

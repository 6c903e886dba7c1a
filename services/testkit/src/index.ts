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

/** A unique e-mail for a test user. */
export function uniqueEmail(label = 'user'): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
}

export { createTestTokenIssuer, type TestTokenIssuer } from './token-issuer.ts';
export { createTcpProxy, type TcpProxy } from './tcp-proxy.ts';
export { eventually } from './eventually.ts';
export { afterSentinel, type Sentinel } from './sentinel.ts';
export { deleteTestTopology, type TestTopology } from './topology.ts';
export { serveForTest, type ServedForTest } from './serve.ts';
export { jwtAttacks, signValidToken, trustedKeyOf, type JwtAttack, type TrustedKey } from './jwt-attacks.ts';
export { recordingLogger, testLogger } from './loggers.ts';

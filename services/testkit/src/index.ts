/** A unique e-mail for a test user. */
export function uniqueEmail(label = 'user'): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
}

export {
  testDatabaseName,
  testDatabasePrefix,
  testEventNames,
  testKeyPrefix,
  testServiceNames,
  type TestServiceNames,
} from './names.ts';
export {
  startTestService,
  testTrust,
  type BuiltService,
  type ServeTestOptions,
  type TestService,
  type TestServiceOptions,
  type TestTrust,
  type TestWiring,
} from './service.ts';
export { createTestTokenIssuer, type TestTokenIssuer } from './token-issuer.ts';
export { createTcpProxy, type TcpProxy } from './tcp-proxy.ts';
export { freePort } from './ports.ts';
export { dropDatabases, likeLiteral } from './databases.ts';
export { fetchJson, requestJson, type FetchJsonInit, type RequestTarget } from './http.ts';
export { openTestExchange, type TestExchange } from './exchange.ts';
export { testServerUrls } from './servers.ts';
export { eventually } from './eventually.ts';
export { afterSentinel, type Sentinel } from './sentinel.ts';
export { deleteTestTopology, deleteTestTopologyOnBroker, type TestTopology } from './topology.ts';
export { serveForTest, type ServedForTest } from './serve.ts';
export { jwtAttacks, signValidToken, trustedKeyOf, type JwtAttack, type TrustedKey } from './jwt-attacks.ts';
export { recordingLogger, testLogger } from './loggers.ts';

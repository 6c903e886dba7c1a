import type { Closer, ConsumerTopology, Role, ServeOptions } from '@shop/shared';
import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import { testLogger } from './loggers.ts';
import { testServiceNames, type TestServiceNames } from './names.ts';
import { serveForTest, type ServedForTest } from './serve.ts';
import { createTestTokenIssuer, type TestTokenIssuer } from './token-issuer.ts';
import { deleteTestTopologyOnBroker, type TestTopology } from './topology.ts';

/** What every `start<Service>ForTest` (services/<service>/test/start.ts) takes. */
export interface TestServiceOptions {
  /** Names its database, queues and keys (`testServiceNames`): same suite, same service, replicas. */
  suite: string;
  /** Settings over the test defaults, as the service's environment variables. */
  env?: Record<string, string>;
  /** Receives every line it logs; silent unless given. */
  logger?: Logger;
  /** Names to use instead of the suite's own. */
  names?: Partial<TestServiceNames>;
  /** Access-token keys to trust, such as a real auth's JWKS (`remoteJwks(url)`); else `issuer`'s. */
  keys?: JWTVerifyGetKey;
  /** Signs the tokens it accepts when `keys` is not given: replicas share one; a fresh one unless given. */
  issuer?: TestTokenIssuer;
  /** Delays before each retry of a failed message; 100 ms once unless given. */
  retryDelaysMs?: readonly number[];
}

/** The wiring options a starter hands to `build<Service>`. */
export type TestWiring = TestServiceNames & { retryDelaysMs: readonly number[] };

/** What a test needs of what `build<Service>` returns. */
export interface BuiltService {
  app: { fetch: (request: Request) => Response | Promise<Response> };
  closers: readonly Closer[];
  broker: { waitForConnect(): Promise<void> };
  consumer?: { topology: ConsumerTopology };
  consumers?: readonly { topology: ConsumerTopology }[];
}

export interface ServeTestOptions {
  /** A node:http listener in front of the app, as `startServer` takes it. */
  front?: ServeOptions['front'];
  /** Sees every request before the app answers it (a test counting what reached the service). */
  observe?: (request: Request) => void;
  /** The service's logger unless given. */
  logger?: Logger;
}

/** A service started in-process for a test, on top of what its `build<Service>` returned. */
export interface TestService {
  names: TestServiceNames;
  logger: Logger;
  /** What it declared on RabbitMQ: the exchange and its consumers' queues. */
  topology: TestTopology & { consumers: ConsumerTopology[] };
  /** Serves it over HTTP as main.ts does, on a free loopback port; `stop` closes the server too. */
  serve: (options?: ServeTestOptions) => Promise<ServedForTest>;
  /** Closes its servers, then its connections in shutdown order; its queues stay for the owner. */
  stop: () => Promise<void>;
  /** `stop`, then deletes its queues and exchange: what a lone instance does at the end. */
  close: () => Promise<void>;
}

/**
 * Builds service `service` for a test with `build` (a closure over its config and
 * `build<Service>`), named after `options.suite`, waits until it is connected to RabbitMQ, and
 * adds serving and closing. Every `start<Service>ForTest` is this plus its service's settings.
 */
export async function startTestService<B extends BuiltService>(
  service: string,
  options: TestServiceOptions,
  build: (wiring: TestWiring, logger: Logger) => Promise<B>,
): Promise<B & TestService> {
  const names = { ...testServiceNames(service, options.suite), ...options.names };
  const logger = options.logger ?? testLogger();
  const built = await build({ ...names, retryDelaysMs: options.retryDelaysMs ?? [100] }, logger);
  await built.broker.waitForConnect();
  const consumers = [built.consumer, ...(built.consumers ?? [])].flatMap((one) =>
    one ? [one.topology] : [],
  );
  const topology = { exchange: names.exchange, consumers };
  const servers = new Set<ServedForTest>();

  const stop = async () => {
    for (const server of servers) await server.close();
    for (const closer of built.closers) await closer.close();
  };
  return {
    ...built,
    names,
    logger,
    topology,
    serve: async ({ front, observe, logger: serverLogger = logger } = {}) => {
      const fetch = observe
        ? (request: Request) => {
            observe(request);
            return built.app.fetch(request);
          }
        : built.app.fetch;
      const server = await serveForTest({ fetch, front, logger: serverLogger });
      const served = {
        ...server,
        close: async () => {
          if (servers.delete(served)) await server.close();
        },
      };
      servers.add(served);
      return served;
    },
    stop,
    close: async () => {
      await stop();
      await deleteTestTopologyOnBroker(topology);
    },
  };
}

/** How a test service checks access tokens, and tokens it accepts. */
export interface TestTrust {
  keys: JWTVerifyGetKey;
  /** Absent when it trusts a real auth's keys: sign users up there instead. */
  issuer: TestTokenIssuer | undefined;
  /** A fresh user and the headers that authenticate them, signed by `issuer`. */
  user: (role?: Role) => Promise<{ id: string; headers: Record<string, string> }>;
}

/** The keys of `options` (a real auth's), or else a test issuer's (`options.issuer` or a fresh one). */
export async function testTrust(options: Pick<TestServiceOptions, 'keys' | 'issuer'>): Promise<TestTrust> {
  if (options.keys) {
    return {
      keys: options.keys,
      issuer: undefined,
      user: () => Promise.reject(new Error('this service trusts a real auth: sign the user up there')),
    };
  }
  const issuer = options.issuer ?? (await createTestTokenIssuer());
  return {
    keys: issuer.getKey,
    issuer,
    user: async (role = 'user') => {
      const id = crypto.randomUUID();
      return { id, headers: { Authorization: `Bearer ${await issuer.sign({ sub: id, role })}` } };
    },
  };
}

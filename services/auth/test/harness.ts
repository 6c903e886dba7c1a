import { request as httpRequest } from 'node:http';
import {
  openTestExchange,
  testDatabaseName,
  testKeyPrefix,
  testLogger,
  testServiceNames,
} from '@shop/testkit';
import { startAuthForTest } from './start.ts';

export { bearer, json, registerAndLogin } from './start.ts';

/**
 * A real auth service (PostgreSQL, Redis, bcrypt workers) on this run's own database and keys,
 * with a queue bound to every routing key of its own exchange: its events are routable and observable.
 * Two instances given the same `dbName` and `keyPrefix` are two replicas of one auth.
 */
export async function startAuth(
  env: Record<string, string> = {},
  dbName = testDatabaseName('auth'),
  keyPrefix = testKeyPrefix(`auth:${crypto.randomUUID()}`),
  logger = testLogger(),
) {
  const suite = `auth_${crypto.randomUUID().slice(0, 8)}`;
  const { exchange } = testServiceNames('auth', suite);
  const events = await openTestExchange(exchange);
  // Bound before auth runs: its events are routable and observable.
  const received = await events.probe(`${exchange}.probe`, '#');
  const auth = await startAuthForTest({ suite, env, logger, names: { dbName, keyPrefix } }).catch(
    async (error: unknown) => {
      await events.close();
      throw error;
    },
  );
  type Published = { type: string; data: Record<string, unknown> };
  let taken = 0;
  /** Events published since the last call, oldest first. */
  const published = () => {
    const fresh = received.slice(taken);
    taken = received.length;
    return Promise.resolve(fresh.map((message) => JSON.parse(message.content.toString()) as Published));
  };
  const close = async () => {
    await auth.stop();
    await events.close();
  };
  return { ...auth, close, published };
}

export type TestAuth = Awaited<ReturnType<typeof startAuth>>;

/** Serves `auth` on a loopback port, so its requests come over real sockets with real addresses. */
export async function listen(auth: TestAuth) {
  const { url, close } = await auth.serve();
  return { url, close };
}

/**
 * A JSON request over a real socket from the local address `from`: every 127.x.y.z is this
 * machine, so each stands for another client. Answers as a fetch Response.
 */
export function send(
  url: string,
  method: string,
  path: string,
  { from, body, headers = {} }: { from: string; body?: unknown; headers?: Record<string, string> },
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      `${url}${path}`,
      {
        method,
        localAddress: from,
        headers: { ...(payload ? { 'Content-Type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            if (typeof value === 'string') responseHeaders.set(name, value);
          const text = Buffer.concat(chunks).toString();
          resolve(new Response(text || null, { status: res.statusCode ?? 0, headers: responseHeaders }));
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

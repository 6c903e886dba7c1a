import { request as httpRequest } from 'node:http';
import { connect } from 'amqplib';
import { inject } from 'vitest';
import { loadConfig } from '@shop/shared';
import { deleteTestTopology, serveForTest, testDatabaseName, testKeyPrefix, testLogger } from '@shop/testkit';
import { authConfigSchema, type AuthConfig } from '../src/config.ts';
import { buildAuth } from '../src/wiring.ts';

/**
 * The bot's service token for every auth this test file starts, as replicas of one shop share it.
 * Made at random: no value printed in the repository is ever accepted.
 */
const SERVICE_TOKEN = crypto.randomUUID();

/**
 * A real auth service (PostgreSQL, Redis, bcrypt workers) on this run's own database and keys.
 * Two instances given the same `dbName` and `keyPrefix` are two replicas of one auth.
 */
export async function startAuth(
  env: Record<string, string> = {},
  dbName = testDatabaseName('auth'),
  keyPrefix = testKeyPrefix(`auth:${crypto.randomUUID()}`),
  logger = testLogger(),
) {
  const config: AuthConfig = loadConfig(authConfigSchema, {
    BCRYPT_COST: '4',
    BCRYPT_WORKERS: '1',
    LOGIN_LOCK_SECONDS: '30',
    // Suites sign many users up from one client; the suites about limits set their own.
    AUTH_RATE_PER_CLIENT_PER_MINUTE: '1000000',
    AUTH_RATE_TOTAL_PER_SECOND: '1000000',
    BCRYPT_QUEUE_MAX: '10000',
    BOT_SERVICE_TOKEN: SERVICE_TOKEN,
    ...env,
  });
  // A per-run exchange with a queue bound to user.*: auth's events are routable and observable.
  const exchange = `t${inject('runId')}.auth.${crypto.randomUUID().slice(0, 8)}`;
  const events = `${exchange}.probe`;
  const admin = await connect(config.RABBITMQ_URL);
  const channel = await admin.createChannel();
  await channel.assertExchange(exchange, 'topic', { durable: true });
  await channel.assertQueue(events, { durable: false, autoDelete: false });
  await channel.bindQueue(events, exchange, 'user.*');
  const auth = await buildAuth(config, logger, { dbName, keyPrefix, exchange }).catch(
    async (error: unknown) => {
      await deleteTestTopology(channel, { exchange, queues: [events] });
      await admin.close();
      throw error;
    },
  );
  /** Events published so far, oldest first. */
  const published = async () => {
    const found: { type: string; data: Record<string, unknown> }[] = [];
    for (
      let message = await channel.get(events, { noAck: false });
      message;
      message = await channel.get(events, { noAck: false })
    ) {
      found.push(JSON.parse(message.content.toString()) as { type: string; data: Record<string, unknown> });
      channel.ack(message);
    }
    return found;
  };
  const close = async () => {
    for (const closer of auth.closers) await closer.close();
    await deleteTestTopology(channel, { exchange, queues: [events] });
    await admin.close();
  };
  return { ...auth, config, close, published };
}

export type TestAuth = Awaited<ReturnType<typeof startAuth>>;

export function json(
  app: TestAuth['app'],
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return app.request(path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function registerAndLogin(app: TestAuth['app'], email: string, password = 'a good password') {
  const registered = await json(app, 'POST', '/auth/register', { email, password });
  if (registered.status !== 201)
    throw new Error(`register failed: ${registered.status} ${await registered.text()}`);
  const login = await json(app, 'POST', '/auth/login', { email, password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  return (await login.json()) as { accessToken: string; refreshToken: string };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Serves `auth` on a loopback port, so its requests come over real sockets with real addresses. */
export async function listen(auth: TestAuth) {
  const { url, close } = await serveForTest({ fetch: auth.app.fetch });
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

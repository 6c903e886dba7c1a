import { connect } from 'amqplib';
import { inject } from 'vitest';
import { loadConfig } from '@shop/shared';
import { testDatabaseName, testKeyPrefix, testLogger } from '@shop/testkit';
import { authConfigSchema, type AuthConfig } from '../src/config.ts';
import { buildAuth } from '../src/wiring.ts';

/**
 * A real auth service (PostgreSQL, Redis, bcrypt workers) on this run's own database and keys.
 * Two instances given the same `dbName` and `keyPrefix` are two replicas of one auth.
 */
export async function startAuth(
  env: Record<string, string> = {},
  dbName = testDatabaseName('auth'),
  keyPrefix = testKeyPrefix(`auth:${crypto.randomUUID()}`),
) {
  const config: AuthConfig = loadConfig(authConfigSchema, {
    BCRYPT_COST: '4',
    BCRYPT_WORKERS: '1',
    LOGIN_LOCK_SECONDS: '30',
    // No default exists: a value printed in the repository must never be accepted.
    BOT_SERVICE_TOKEN: crypto.randomUUID(),
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
  const auth = await buildAuth(config, testLogger(), {
    dbName,
    keyPrefix,
    exchange,
  });
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
    await channel.deleteQueue(events);
    await channel.deleteExchange(exchange);
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

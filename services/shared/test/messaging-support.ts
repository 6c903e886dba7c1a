import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Socket, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineEntity, p } from '@mikro-orm/core';
import { connect, type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import { pino, type Logger } from 'pino';
import { inject } from 'vitest';
import { baseConfigSchema, loadConfig } from '../src/config/index.ts';
import { createOrm, dropDatabase, type Orm } from '../src/db/index.ts';
import { messagingEntities } from '../src/messaging/index.ts';
import { testDatabaseName } from '../src/testing/index.ts';

export const config = loadConfig(baseConfigSchema.pick({ POSTGRES_URL: true, RABBITMQ_URL: true }));

/** A stand-in for a service's own state: its rows are the "effect" of a handler or a use case. */
export const TestRecord = defineEntity({
  name: 'TestRecord',
  tableName: 'test_records',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    label: p.string().length(100).index(),
  },
});

/** Names unique to this run and suite: `t<runId>.<suite>.<label>`. */
export function uniqueName(suite: string, label: string): string {
  return `t${inject('runId')}.${suite}.${label}`;
}

/** An ORM on a fresh per-run database holding the test entity plus the outbox and inbox tables. */
export async function createTestOrm(suite: string): Promise<{ orm: Orm; dispose: () => Promise<void> }> {
  const dbName = testDatabaseName(`messaging_${suite}`);
  // No committed migrations describe this test schema: build it from the entities instead.
  const migrations = await mkdtemp(join(tmpdir(), 'shop-messaging-'));
  const orm = await createOrm({
    serverUrl: config.POSTGRES_URL,
    dbName,
    entities: [TestRecord, ...messagingEntities],
    migrationsPath: migrations,
    logger: pino({ level: 'silent' }),
    pool: { max: 8 },
  });
  await orm.schema.update();
  return {
    orm,
    async dispose() {
      await orm.close();
      await dropDatabase(config.POSTGRES_URL, dbName);
      await rm(migrations, { recursive: true, force: true });
    },
  };
}

/** A logger whose lines a test can inspect. */
export function recordingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

/** Polls `check` until it returns without throwing, or rethrows its last error after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(intervalMs);
    }
  }
}

/**
 * A TCP proxy in front of RabbitMQ: the test can refuse connections (`stop`), accept them again
 * (`start`) or cut every open one (`dropConnections`) without touching the shared broker.
 */
export interface BrokerProxy {
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  dropConnections(): void;
}

export async function createBrokerProxy(): Promise<BrokerProxy> {
  const target = new URL(config.RABBITMQ_URL);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const listen = async () => {
    const current = createServer((client) => {
      const upstream = new Socket();
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => {});
        socket.on('close', () => {
          sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      upstream.connect(Number(target.port || 5672), target.hostname);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => current.listen(port, '127.0.0.1', resolve));
    port = (current.address() as { port: number }).port;
    server = current;
  };
  const dropConnections = () => {
    for (const socket of sockets) socket.destroy();
  };

  await listen();
  return {
    url: `amqp://${target.username}:${target.password}@127.0.0.1:${port}`,
    start: listen,
    async stop() {
      const current = server;
      server = undefined;
      dropConnections();
      if (current) await new Promise((resolve) => current.close(resolve));
    },
    dropConnections,
  };
}

/** A plain amqplib connection for arranging and inspecting the broker from the test. */
export async function createAdmin(): Promise<{ connection: ChannelModel; channel: Channel }> {
  const connection = await connect(config.RABBITMQ_URL);
  const channel = await connection.createChannel();
  return { connection, channel };
}

/** Takes every message currently ready in `queue`. */
export async function takeAll(channel: Channel, queue: string): Promise<GetMessage[]> {
  const taken: GetMessage[] = [];
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (!message) return taken;
    taken.push(message);
  }
}

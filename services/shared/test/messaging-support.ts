import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineEntity, p } from '@mikro-orm/core';
import { connect, type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import { pino } from 'pino';
import { inject } from 'vitest';
import { baseConfigSchema, loadConfig } from '../src/config/index.ts';
import { createOrm, dropDatabase, type Orm } from '../src/db/index.ts';
import { messagingEntities } from '../src/messaging/index.ts';
import { createTcpProxy, eventually, recordingLogger, testDatabaseName, type TcpProxy } from '@shop/testkit';

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

/** A proxy in front of RabbitMQ, so a test can take the broker away from one client only. */
export const createBrokerProxy = (): Promise<TcpProxy> => createTcpProxy(config.RABBITMQ_URL);
export type BrokerProxy = TcpProxy;

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

export { eventually, recordingLogger };

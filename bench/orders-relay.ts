/**
 * bench:orders, relay drain: 20 000 pending outbox rows published by `createOutboxRelay` in this
 * process, against a bare amqplib confirm channel publishing the same messages in batches of 100.
 * Scratch database, exchange and queue, all removed afterwards.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createBroker,
  createLogger,
  createOrm,
  createOutboxRelay,
  messagingEntities,
  type EventEnvelope,
} from '@shop/shared';
import { connect } from 'amqplib';
import { Client } from 'pg';
import { orderCreated, POSTGRES_URL, scratchOrderDatabase } from './orders-scratch.ts';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const BATCH = 100;

export interface DrainResult {
  relayRowsPerS: number;
  bareMsgsPerS: number;
  events: number;
}

async function insertPending(client: Client, events: EventEnvelope[]): Promise<void> {
  for (let start = 0; start < events.length; start += 1000) {
    const slice = events.slice(start, start + 1000);
    await client.query(
      `insert into outbox (id, type, routing_key, payload, occurred_at)
       select (e->>'id')::uuid, e->>'type', e->>'type', e, (e->>'occurredAt')::timestamptz
       from jsonb_array_elements($1::jsonb) as e`,
      [JSON.stringify(slice)],
    );
  }
}

async function pendingCount(client: Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    'select count(*) as n from outbox where published_at is null',
  );
  return Number(rows[0]!.n);
}

export async function measureDrain(count: number): Promise<DrainResult> {
  const run = crypto.randomUUID().slice(0, 8);
  const exchange = `bench.orders.${run}`;
  const queue = `bench.orders.${run}`;
  const events = Array.from({ length: count }, (_, i) => orderCreated(i + 1, crypto.randomUUID(), 1));
  const scratch = await scratchOrderDatabase();
  const logger = createLogger({ service: 'bench-relay', level: 'warn', format: 'json' });
  const connection = await connect(RABBITMQ_URL);
  const admin = await connection.createChannel();
  const db = new Client(scratch.url);
  await db.connect();
  try {
    await admin.assertExchange(exchange, 'topic', { durable: true });
    await admin.assertQueue(queue, { durable: true });
    await admin.bindQueue(queue, exchange, '#');

    // Baseline first: a bare confirm channel, the same bytes and properties the broker publishes.
    const confirm = await connection.createConfirmChannel();
    const started = performance.now();
    for (let start = 0; start < events.length; start += BATCH) {
      for (const event of events.slice(start, start + BATCH)) {
        confirm.publish(exchange, event.type, Buffer.from(JSON.stringify(event)), {
          persistent: true,
          messageId: event.id,
          type: event.type,
          correlationId: event.correlationId,
          contentType: 'application/json',
          timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
        });
      }
      await confirm.waitForConfirms();
    }
    const bareMsgsPerS = count / ((performance.now() - started) / 1000);
    await confirm.close();
    await admin.purgeQueue(queue);

    await insertPending(db, events);
    const orm = await createOrm({
      serverUrl: POSTGRES_URL,
      dbName: scratch.name,
      entities: messagingEntities,
      // Already applied by scratchOrderDatabase: the relay sees the order service's own outbox table.
      migrationsPath: new URL('../services/order/src/db/migrations', import.meta.url),
      logger,
    });
    const broker = await createBroker({ url: RABBITMQ_URL, logger, exchange, connectionName: 'bench-relay' });
    await broker.waitForConnect();
    const relay = createOutboxRelay({ orm, broker, logger });
    try {
      const relayStarted = performance.now();
      relay.start();
      while ((await pendingCount(db)) > 0) await sleep(20);
      const relayRowsPerS = count / ((performance.now() - relayStarted) / 1000);
      const { messageCount } = await admin.checkQueue(queue);
      if (messageCount < count)
        throw new Error(`the relay marked ${count} rows published but the queue holds ${messageCount}`);
      return { relayRowsPerS, bareMsgsPerS, events: count };
    } finally {
      await relay.stop();
      await broker.close();
      await orm.close();
    }
  } finally {
    await db.end();
    await admin.deleteQueue(queue).catch(() => {});
    await admin.deleteExchange(exchange).catch(() => {});
    await connection.close();
    await scratch.drop();
  }
}

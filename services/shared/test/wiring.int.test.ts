import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createTcpProxy,
  deleteTestTopology,
  testDatabaseName,
  testKeyPrefix,
  testLogger,
  type TcpProxy,
} from '@shop/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { baseConfigSchema, loadConfig } from '../src/config/index.ts';
import type { Orm } from '../src/db/index.ts';
import {
  createEvent,
  messagingEntities,
  type Broker,
  type ConsumerTopology,
} from '../src/messaging/index.ts';
import { connectBroker, startConsumer } from '../src/wiring/messaging.ts';
import { createServiceKit, type ServiceKit, type ServiceWiringOptions } from '../src/wiring/kit.ts';
import { connectPostgres } from '../src/wiring/postgres.ts';
import { connectRedis } from '../src/wiring/redis.ts';
import { createAdmin, eventually, TestRecord, uniqueName } from './messaging-support.ts';

const config = loadConfig(baseConfigSchema);
const exchange = uniqueName('wiring', 'events');
const queuePrefix = uniqueName('wiring', 'queues');
const redisOutage = { downMessage: 'redis is away', upMessage: 'redis is back' };

let migrations: string;
let admin: Awaited<ReturnType<typeof createAdmin>>;
const kits: ServiceKit[] = [];
const topologies: ConsumerTopology[] = [];
const proxies: TcpProxy[] = [];

beforeAll(async () => {
  // No committed migrations describe this test schema: the test builds it from the entities.
  migrations = await mkdtemp(join(tmpdir(), 'shop-wiring-'));
  admin = await createAdmin();
});

afterEach(async () => {
  // Proxies first: a client behind a stalled one would wait out its QUIT.
  for (const proxy of proxies.splice(0)) await proxy.stop();
  for (const kit of kits.splice(0)) for (const closer of kit.closers) await closer.close();
});

afterAll(async () => {
  await deleteTestTopology(admin.channel, { exchange, consumers: topologies });
  await admin.connection.close();
  await rm(migrations, { recursive: true, force: true });
});

function kitWith(options: ServiceWiringOptions = {}, overrides: Partial<typeof config> = {}) {
  const kit = createServiceKit({
    service: 'wiring',
    config: { ...config, ...overrides },
    logger: testLogger(),
    options: { dbName: testDatabaseName('wiring'), exchange, queuePrefix, ...options },
  });
  kits.push(kit);
  return kit;
}

async function postgresAndBroker(kit: ServiceKit): Promise<{ orm: Orm; broker: Broker }> {
  const orm = await connectPostgres(kit, {
    entities: [TestRecord, ...messagingEntities],
    migrations: pathToFileURL(migrations),
  });
  await orm.schema.update();
  const broker = await connectBroker(kit, { critical: false });
  await broker.waitForConnect();
  return { orm, broker };
}

describe('a service wired from the kit', () => {
  it('has a readiness check per server, named after it, the optional ones marked, all passing', async () => {
    const kit = kitWith({ keyPrefix: testKeyPrefix('wiring') });
    await postgresAndBroker(kit);
    const redis = await connectRedis(kit, {
      purpose: 'cache',
      timeoutMs: 1_000,
      probeIntervalMs: 100,
      critical: false,
      ...redisOutage,
    });

    expect(kit.readiness.map((check) => [check.name, check.critical ?? true])).toEqual([
      ['postgres', true],
      ['rabbitmq', false],
      ['redis', false],
    ]);
    await Promise.all(kit.readiness.map((check) => check.check()));
    expect(redis.keyPrefix).toBe(testKeyPrefix('wiring'));
    expect(kit.closers.map((closer) => closer.name)).toEqual(['redis', 'rabbitmq', 'postgres']);
  });

  it('consumes into <queuePrefix>.<queue>, and its closer stops the consumer', async () => {
    const kit = kitWith();
    const { orm, broker } = await postgresAndBroker(kit);
    const consumer = await startConsumer(kit, {
      orm,
      broker,
      queue: 'orders',
      routingKeys: ['order.created'],
      handler: async (em, event) => {
        em.create(TestRecord, { label: event.id });
        await em.flush();
      },
    });
    topologies.push(consumer.topology);
    const event = createEvent('order.created', {
      orderId: 1,
      userId: crypto.randomUUID(),
      items: [{ productId: 1, name: 'Tea', unitPriceCents: 250, quantity: 1 }],
      totalCents: 250,
      currency: 'EUR',
    });
    admin.channel.publish(exchange, event.type, Buffer.from(JSON.stringify(event)), { messageId: event.id });
    await eventually(async () => expect(await orm.em.fork().count(TestRecord, { label: event.id })).toBe(1));

    const [closer] = kit.closers;
    expect(closer?.name).toBe(`consumer ${queuePrefix}.orders`);
    await closer?.close();

    expect(consumer.topology.queue).toBe(`${queuePrefix}.orders`);
    expect((await admin.channel.checkQueue(consumer.topology.queue)).consumerCount).toBe(0);
  });

  it('starts without Redis, and its readiness check then fails instead of waiting', async () => {
    const proxy = await createTcpProxy(config.REDIS_URL);
    proxies.push(proxy);
    await proxy.stop();
    const kit = kitWith({}, { REDIS_URL: proxy.url });

    const redis = await connectRedis(kit, {
      purpose: 'cache',
      timeoutMs: 200,
      probeIntervalMs: 100,
      startWaitMs: 200,
      ...redisOutage,
    });

    expect(redis.guard.up).toBe(false);
    await expect(kit.readiness[0]?.check()).rejects.toThrow();
    expect(redis.keyPrefix).toBe('wiring:');
  });

  it("keeps another shop's keys apart on a shared Redis: its DATABASE_PREFIX names them", async () => {
    const other = await connectRedis(kitWith({}, { DATABASE_PREFIX: 'shop_two' }), {
      purpose: 'throttle',
      timeoutMs: 1_000,
      probeIntervalMs: 100,
      ...redisOutage,
    });
    const mine = await connectRedis(kitWith(), {
      purpose: 'throttle',
      timeoutMs: 1_000,
      probeIntervalMs: 100,
      ...redisOutage,
    });

    // Two test shops (or two shops on one server) otherwise shared login locks and caches.
    expect(other.keyPrefix).toBe('shop_two:wiring:');
    expect(mine.keyPrefix).toBe('wiring:');
  });

  it('gives up the readiness ping of a Redis that stopped answering after its deadline', async () => {
    const proxy = await createTcpProxy(config.REDIS_URL);
    proxies.push(proxy);
    const kit = kitWith({}, { REDIS_URL: proxy.url });
    const redis = await connectRedis(kit, {
      purpose: 'cache',
      timeoutMs: 200,
      probeIntervalMs: 100,
      ...redisOutage,
    });
    expect(redis.guard.up).toBe(true);

    proxy.setDelay(5_000);

    await expect(kit.readiness[0]?.check()).rejects.toThrow('redis did not answer within 200 ms');
  });
});

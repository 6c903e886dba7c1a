/**
 * The whole shop as real processes for a suite, on the local PostgreSQL, Redis and RabbitMQ, kept
 * apart from `npm start` and from other runs: its own databases (DATABASE_PREFIX), its own RabbitMQ
 * virtual host, its own bot key prefix, free ports, and a Telegram sandbox of its own.
 * For the shop in-process (faster, no bot process), see in-process-shop.ts.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dropDatabases, freePort, likeLiteral, testDatabasePrefix, testServerUrls } from '@shop/testkit';
import pg from 'pg';
import { inject } from 'vitest';
import {
  PARTS,
  partSpec,
  spawnPart,
  stopPart,
  waitReady,
  type PartName,
  type PartProcess,
} from '../../scripts/lib/processes.ts';
import { makeBotToken, makeServiceToken } from '../../scripts/lib/start-env.ts';
import { relaxedAuthLimits } from '../../services/auth/test/relaxed-limits.ts';
import { SandboxClient } from './sandbox.ts';

export { freePort };

const run = promisify(execFile);
const { POSTGRES_URL: serverUrl, RABBITMQ_URL: brokerUrl } = testServerUrls();
const LOG_LINES_KEPT = 400;

/** RabbitMQ virtual hosts are made with rabbitmqctl (the management API may be off). */
async function rabbitmqctl(...args: string[]): Promise<void> {
  await run('rabbitmqctl', ['-q', ...args], { timeout: 60_000 });
}

/**
 * A shop of the suite's own on the shared servers: the variables that give it its own databases,
 * RabbitMQ virtual host (created here) and bot key prefix, and `release` to drop them after.
 */
export async function isolate(suite: string) {
  const namespace = `t${inject('runId')}_${suite}`;
  const databasePrefix = testDatabasePrefix(suite);
  const vhost = namespace;
  await rabbitmqctl('add_vhost', vhost);
  await rabbitmqctl('set_permissions', '-p', vhost, new URL(brokerUrl).username || 'guest', '.*', '.*', '.*');
  const rabbitUrl = new URL(brokerUrl);
  rabbitUrl.pathname = `/${encodeURIComponent(vhost)}`;
  return {
    databasePrefix,
    vhost,
    env: {
      DATABASE_PREFIX: databasePrefix,
      // Several whole shops may run side by side on one PostgreSQL (max_connections 100 by default).
      DATABASE_POOL_MAX: '6',
      RABBITMQ_URL: rabbitUrl.toString(),
      BOT_REDIS_PREFIX: `${namespace}:bot:`,
    },
    release: async () => {
      await dropDatabases(serverUrl, [`${likeLiteral(`${databasePrefix}_`)}%`]);
      await rabbitmqctl('delete_vhost', vhost).catch(() => undefined);
    },
  };
}

export interface ShopOptions {
  /** Short lowercase name of the suite: part of database and vhost names. */
  suite: string;
  /** Which parts to start (default: all of them). */
  parts?: readonly PartName[];
  /** Extra variables for every process. */
  env?: Record<string, string>;
  /** Extra variables for one part's processes, over `env`. */
  partEnv?: Partial<Record<PartName, Record<string, string>>>;
  /** Run the output of `npm run build` (`node dist/main.js`) instead of the sources. */
  compiled?: boolean;
  /**
   * Invoices carry the product's photo from this shop's catalog (PUBLIC_CATALOG_URL), as
   * `npm start` has them with the sandbox.
   */
  publicCatalog?: boolean;
  /**
   * The storefront is the bot's Mini App (BOT_MINI_APP_URL) at `http://localhost:<web port>`, as
   * `npm start` has it with the sandbox: the menu button and "Open in shop" open it in the web chat.
   */
  miniApp?: boolean;
}

export interface Instance {
  name: PartName;
  index: number;
  port: number;
  process: PartProcess;
  /** The last lines it printed (JSON log lines), for a failing test's message. */
  lines: string[];
}

export interface Shop {
  /** Base URL of instance 1 of a part. */
  url(name: PartName): string;
  /**
   * The same at `localhost`, as `npm start` prints it: a browser keeps the Mini App's `Secure`
   * cookie over plain http only there, and the web chat and its framed storefront are one site.
   */
  localUrl(name: PartName): string;
  sandbox: SandboxClient;
  /** This shop's RabbitMQ virtual host (for `rabbitmqctl -p`). */
  vhost: string;
  /** The secret the bot shows auth (X-Service-Token), made for this shop as `npm start` does. */
  serviceToken: string;
  /** The bot token this shop's sandbox accepts, made for this shop. */
  botToken: string;
  /** Every running instance. */
  instances(): Instance[];
  /** Starts instance `index` (default 1) of a part and waits until it is ready. */
  start(
    name: PartName,
    options?: { index?: number; port?: number; env?: Record<string, string> },
  ): Promise<Instance>;
  /** SIGTERM (graceful) and wait. */
  stop(name: PartName, index?: number): Promise<void>;
  /** SIGKILL: a crash. */
  kill(name: PartName, index?: number): Promise<void>;
  /** One query against a part's database. */
  query<R extends pg.QueryResultRow>(name: PartName, sql: string, params?: unknown[]): Promise<R[]>;
  /** A connection of its own to a part's database (to hold a transaction open); the caller ends it. */
  connect(name: PartName): Promise<pg.Client>;
  /** The last log lines of every instance, for diagnostics. */
  logs(): string;
  /**
   * Resolves once every instance's `/ready` says `ok`, not `degraded`: RabbitMQ and Redis connected
   * too (the catalog, for one, is ready without them), for a story that needs events to flow.
   */
  settled(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startShop(options: ShopOptions): Promise<Shop> {
  const { databasePrefix, vhost, env: isolated, release } = await isolate(options.suite);

  const names = options.parts ?? PARTS.map((part) => part.name);
  const ports = new Map<PartName, number>();
  for (const name of names) ports.set(name, await freePort());
  const portOf = (name: PartName) => ports.get(name) ?? 1;
  const url = (name: PartName) => `http://127.0.0.1:${portOf(name)}`;
  const localUrl = (name: PartName) => `http://localhost:${portOf(name)}`;

  const serviceToken = options.env?.BOT_SERVICE_TOKEN ?? makeServiceToken();
  const botToken = options.env?.TELEGRAM_BOT_TOKEN ?? makeBotToken();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    BOT_SERVICE_TOKEN: serviceToken,
    TELEGRAM_BOT_TOKEN: botToken,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    ...relaxedAuthLimits,
    ...isolated,
    AUTH_URL: url('auth'),
    CATALOG_URL: url('catalog'),
    ORDER_URL: url('order'),
    PAYMENT_URL: url('payment'),
    NOTIFICATION_URL: url('notification'),
    TELEGRAM_API_ROOT: url('sandbox'),
    ...Object.fromEntries(names.map((name) => [partSpec(name).portVar, String(portOf(name))])),
    ...(options.publicCatalog ? { PUBLIC_CATALOG_URL: url('catalog') } : {}),
    ...(options.miniApp ? { BOT_MINI_APP_URL: localUrl('web') } : {}),
    ...options.env,
  };

  const instances = new Map<string, Instance>();
  const key = (name: PartName, index: number) => `${name}#${index}`;

  async function start(
    name: PartName,
    opts: { index?: number; port?: number; env?: Record<string, string> } = {},
  ) {
    const index = opts.index ?? 1;
    const port = opts.port ?? (index === 1 ? portOf(name) : await freePort());
    const lines: string[] = [];
    const proc = spawnPart(partSpec(name), {
      env: { ...env, ...options.partEnv?.[name], [partSpec(name).portVar]: String(port), ...opts.env },
      compiled: options.compiled,
      onLine: (line) => {
        lines.push(line);
        if (lines.length > LOG_LINES_KEPT) lines.shift();
      },
    });
    const instance: Instance = { name, index, port, process: proc, lines };
    instances.set(key(name, index), instance);
    const exitedEarly = proc.exited.then(({ code, signal }) => {
      throw new Error(
        `${name}#${index} exited (${signal ?? code}) before it was ready:\n${lines.join('\n')}`,
      );
    });
    // A RabbitMQ shared with other suites can hold a new connection back for tens of seconds (seen
    // when its file handles run short): a part whose readiness needs the broker may wait that long.
    await Promise.race([waitReady(`${name}#${index}`, port, { timeoutMs: 120_000 }), exitedEarly]);
    exitedEarly.catch(() => undefined);
    return instance;
  }

  async function halt(name: PartName, index: number, signal: NodeJS.Signals) {
    const instance = instances.get(key(name, index));
    if (!instance) return;
    await stopPart(instance.process, { signal });
    instances.delete(key(name, index));
  }

  const shop: Shop = {
    url,
    localUrl,
    sandbox: new SandboxClient(url('sandbox')),
    vhost,
    serviceToken,
    botToken,
    instances: () => [...instances.values()],
    start,
    stop: (name, index = 1) => halt(name, index, 'SIGTERM'),
    kill: (name, index = 1) => halt(name, index, 'SIGKILL'),
    async connect(name: PartName) {
      const database = new URL(serverUrl);
      database.pathname = `/${databasePrefix}_${name}`;
      const client = new pg.Client({ connectionString: database.toString() });
      await client.connect();
      return client;
    },
    async query<R extends pg.QueryResultRow>(name: PartName, sql: string, params: unknown[] = []) {
      const client = await shop.connect(name);
      try {
        return (await client.query<R>(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    async settled(timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      const statusOf = (port: number) =>
        fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(2_000) })
          .then((res) => res.json() as Promise<{ status?: unknown }>)
          .then((body) => body.status)
          .catch(() => undefined);
      for (const instance of instances.values()) {
        while ((await statusOf(instance.port)) !== 'ok') {
          if (Date.now() > deadline)
            throw new Error(
              `${instance.name}#${instance.index} still reports a dependency down:\n${shop.logs()}`,
            );
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    },
    logs: () =>
      [...instances.values()]
        .map((instance) => `--- ${instance.name}#${instance.index}\n${instance.lines.slice(-40).join('\n')}`)
        .join('\n'),
    async close() {
      await Promise.all([...instances.values()].map((instance) => stopPart(instance.process)));
      instances.clear();
      await release();
    },
  };

  try {
    // The sandbox first, so the bot finds its Telegram at once; then the rest side by side.
    if (names.includes('sandbox')) await start('sandbox');
    await Promise.all(names.filter((name) => name !== 'sandbox').map((name) => start(name)));
  } catch (error) {
    await shop.close();
    throw error;
  }
  return shop;
}

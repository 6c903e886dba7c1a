import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { baseConfigSchema, loadConfig } from '../config/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    runId: string;
  }
}

const config = loadConfig(baseConfigSchema);
const servers = [
  {
    name: 'PostgreSQL',
    url: config.POSTGRES_URL,
    start: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  },
  {
    name: 'Redis',
    url: config.REDIS_URL,
    start: 'redis-server --daemonize yes',
  },
  {
    name: 'RabbitMQ',
    url: config.RABBITMQ_URL,
    start: 'rabbitmq-server -detached',
  },
];

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(2_000);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true)).once('error', () => done(false)).once('timeout', () => done(false));
    socket.connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
  });
}

/** Fails fast, naming the missing server, and gives every run its own id for database names and key prefixes. */
export async function setup(project: TestProject) {
  const missing = [];
  for (const server of servers) {
    if (!(await reachable(server.url))) missing.push(server);
  }
  if (missing.length > 0) {
    const lines = missing.map((s) => `  - ${s.name} is not reachable at ${s.url}; start it with: ${s.start}`);
    throw new Error(`Tests need PostgreSQL, Redis and RabbitMQ running locally:\n${lines.join('\n')}\n(or run: docker compose up -d postgres redis rabbitmq)`);
  }
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  project.provide('runId', runId);

  return async () => {
    const client = new pg.Client({ connectionString: servers[0]!.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        "select datname from pg_database where datname like 'shop\\_%' and datname like $1",
        [`%\\_t${runId}`],
      );
      for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
    } finally {
      await client.end();
    }
  };
}

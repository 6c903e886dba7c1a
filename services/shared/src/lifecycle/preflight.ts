import { Socket } from 'node:net';

export interface LocalServer {
  name: string;
  url: string;
  /** How to start it on a developer machine. */
  start: string;
}

/** The three servers every part of the shop needs, with the command that starts each locally. */
export function localServers(urls: { postgres: string; redis: string; rabbitmq: string }): LocalServer[] {
  return [
    {
      name: 'PostgreSQL',
      url: urls.postgres,
      start: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    },
    { name: 'Redis', url: urls.redis, start: 'redis-server --daemonize yes' },
    { name: 'RabbitMQ', url: urls.rabbitmq, start: 'rabbitmq-server -detached' },
  ];
}

/** True when something accepts TCP connections at the URL's host and port. */
export function reachable(url: string, timeoutMs = 2_000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs);
    socket
      .once('connect', () => done(true))
      .once('error', () => done(false))
      .once('timeout', () => done(false));
    socket.connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
  });
}

/**
 * Checks every server answers; returns a message naming each missing one and how to start it,
 * or undefined when all are up.
 */
export async function missingServers(servers: readonly LocalServer[]): Promise<string | undefined> {
  const missing: LocalServer[] = [];
  for (const server of servers) if (!(await reachable(server.url))) missing.push(server);
  if (missing.length === 0) return undefined;
  const lines = missing.map((s) => `  - ${s.name} is not reachable at ${s.url}; start it with: ${s.start}`);
  return [
    'The shop needs PostgreSQL, Redis and RabbitMQ running locally:',
    ...lines,
    'or run them in containers: docker compose up -d postgres redis rabbitmq',
  ].join('\n');
}

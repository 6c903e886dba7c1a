/**
 * The whole shop run from its images, as a cluster runs them (deploy/kubernetes): host networking
 * on free ports, a read-only root filesystem with a scratch /tmp, every capability dropped, the
 * secrets as files in SECRETS_DIR. It uses the local PostgreSQL, Redis and RabbitMQ, kept apart
 * from everything else on them: databases of its own (DATABASE_PREFIX), a RabbitMQ virtual host of
 * its own and its own Redis keys, all removed by `close`.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { localServers, missingServers } from '../../services/shared/src/index.ts';
import { dropDatabases, likeLiteral } from '../../services/testkit/src/databases.ts';
import { freePort } from '../../services/testkit/src/ports.ts';
import { testServerUrls } from '../../services/testkit/src/servers.ts';
import { SandboxClient } from '../../test/support/sandbox.ts';
import { waitReady, type PartName } from '../lib/processes.ts';
import { SANDBOX_OWNER } from '../lib/start-env.ts';
import type { ImageSpec } from './images.ts';
import { podman, run, secondsSince } from './podman.ts';
import { partSettings, SECRETS_DIR, shopEnv } from './shop-env.ts';

export interface ExitRecord {
  part: PartName;
  code: number;
  seconds: number;
}

export interface ContainerShop {
  url(name: PartName): string;
  sandbox: SandboxClient;
  serviceToken: string;
  /** The sandbox user the shop takes as its admin (ADMIN_TELEGRAM_IDS). */
  adminTelegramId: number;
  /** SIGTERM to every container at once (`podman stop`); each one's exit code and how long it took. */
  stopAll(timeoutSeconds: number): Promise<ExitRecord[]>;
  /** The last lines every container printed. */
  logs(lines?: number): Promise<string>;
  /** Removes the containers, databases, virtual host, Redis keys and secrets; safe to call twice. */
  close(): Promise<void>;
}

const rabbitmqctl = (...args: string[]) => run('rabbitmqctl', ['-q', ...args], { timeoutMs: 180_000 });

/** Starts the sandbox, then every other part; resolves once each answers /ready. */
export async function startContainerShop(images: readonly ImageSpec[]): Promise<ContainerShop> {
  const servers = testServerUrls();
  const missing = await missingServers(
    localServers({
      postgres: servers.POSTGRES_URL,
      redis: servers.REDIS_URL,
      rabbitmq: servers.RABBITMQ_URL,
    }),
  );
  if (missing) throw new Error(missing);

  const prefix = `containers_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const ports = new Map<PartName, number>();
  for (const { part } of images) ports.set(part, await freePort());
  const portOf = (part: PartName) => ports.get(part) ?? 1;
  const url = (part: PartName) => `http://127.0.0.1:${portOf(part)}`;
  const { settings, secrets } = shopEnv({ prefix, servers, portOf });

  const containers = new Map<PartName, string>();
  const secretsDir = await mkdtemp(join(tmpdir(), 'shop-containers-'));
  let vhostMade = false;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    if (containers.size)
      await podman(['rm', '--force', '--time=0', ...containers.values()]).catch(() => undefined);
    await rm(secretsDir, { recursive: true, force: true });
    // Never while RabbitMQ may still be making it: deleting a virtual host that is still starting
    // can leave the broker stuck for every client. One it did not finish making is left behind.
    if (vhostMade) await rabbitmqctl('delete_vhost', prefix).catch(() => undefined);
    await dropDatabases(servers.POSTGRES_URL, [`${likeLiteral(`${prefix}_`)}%`]);
    await deleteKeys(servers.REDIS_URL, `${prefix}:*`);
  };

  const start = async (spec: ImageSpec) => {
    const name = `${prefix}-${spec.part}`;
    const env = partSettings(spec.part, settings);
    await podman([
      'run',
      '--detach',
      `--name=${name}`,
      '--network=host',
      '--read-only',
      '--read-only-tmpfs=false',
      '--tmpfs=/tmp:size=64m',
      '--cap-drop=all',
      '--security-opt=no-new-privileges',
      `--volume=${secretsDir}:${SECRETS_DIR}:ro`,
      ...Object.entries(env).map(([key, value]) => `--env=${key}=${value}`),
      spec.image,
    ]);
    containers.set(spec.part, name);
    await readyOrExited(spec.part, name, portOf(spec.part));
  };

  try {
    await rabbitmqctl('add_vhost', prefix);
    vhostMade = true;
    const user = new URL(servers.RABBITMQ_URL).username || 'guest';
    await rabbitmqctl('set_permissions', '-p', prefix, user, '.*', '.*', '.*');
    // The containers' user (uid 1000) reads them; they are made for this run alone.
    await chmod(secretsDir, 0o755);
    for (const [name, value] of Object.entries(secrets))
      await writeFile(join(secretsDir, name), value, { mode: 0o444 });

    // The sandbox first, so the bot finds its Telegram at once; then the rest side by side.
    const sandbox = images.find((spec) => spec.part === 'sandbox');
    if (sandbox) await start(sandbox);
    await Promise.all(images.filter((spec) => spec !== sandbox).map(start));
  } catch (error) {
    const logs = await containerLogs(containers, 40);
    await close();
    throw new Error(`${(error as Error).message}\n${logs}`, { cause: error });
  }

  return {
    url,
    sandbox: new SandboxClient(url('sandbox')),
    serviceToken: secrets.BOT_SERVICE_TOKEN ?? '',
    adminTelegramId: SANDBOX_OWNER.id,
    stopAll: (timeoutSeconds) => stopAll(containers, timeoutSeconds),
    logs: (lines = 40) => containerLogs(containers, lines),
    close,
  };
}

/** Waits for /ready; fails at once, naming the exit code, when the container stops first. */
async function readyOrExited(part: PartName, container: string, port: number): Promise<void> {
  const ready = new AbortController();
  const exited = podman(['wait', container], { timeoutMs: 0, signal: ready.signal }).then(
    (code) => {
      throw new Error(`${part} exited with code ${code.trim()} before it was ready`);
    },
    (error: unknown) => {
      if (!ready.signal.aborted) throw error;
    },
  );
  try {
    await Promise.race([
      waitReady(part, port, { timeoutMs: 120_000, cancelled: () => ready.signal.aborted }),
      exited,
    ]);
  } catch (error) {
    throw new Error(`${(error as Error).message}; /ready answers ${await lastAnswer(port)}`, {
      cause: error,
    });
  } finally {
    ready.abort();
    await exited.catch(() => undefined);
  }
}

/** What /ready says now, given all the time it needs: why a part is not ready. */
async function lastAnswer(port: number): Promise<string> {
  const started = performance.now();
  try {
    const res = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(15_000) });
    return `${res.status} ${await res.text()} after ${secondsSince(started)}`;
  } catch (error) {
    return `nothing (${(error as Error).message}) after ${secondsSince(started)}`;
  }
}

async function stopAll(containers: Map<PartName, string>, timeoutSeconds: number): Promise<ExitRecord[]> {
  return Promise.all(
    [...containers].map(async ([part, name]) => {
      const started = performance.now();
      await podman(['stop', `--time=${timeoutSeconds}`, name], { timeoutMs: (timeoutSeconds + 30) * 1000 });
      const seconds = (performance.now() - started) / 1000;
      const code = Number((await podman(['inspect', '--format', '{{.State.ExitCode}}', name])).trim());
      return { part, code, seconds };
    }),
  );
}

async function containerLogs(containers: Map<PartName, string>, lines: number): Promise<string> {
  const logs = await Promise.all(
    [...containers].map(async ([part, name]) => {
      const text = await podman(['logs', `--tail=${lines}`, name], { stderr: true }).catch((error: unknown) =>
        String(error),
      );
      return `--- ${part}\n${text.trimEnd()}`;
    }),
  );
  return logs.join('\n');
}

async function deleteKeys(redisUrl: string, pattern: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>)
      if (keys.length) await redis.unlink(...keys);
  } finally {
    redis.disconnect();
  }
}

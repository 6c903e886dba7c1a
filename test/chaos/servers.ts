/**
 * Outages of the three shared servers, with the commands CI uses to run them (we are root). Every
 * outage restores its server in a `finally`, and `restoreServers()` brings back whatever is still
 * down: other suites and other engineers share these servers.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const COMMAND_TIMEOUT_MS = 120_000;

async function sh(command: string, args: string[]): Promise<string> {
  const { stdout } = await exec(command, args, { timeout: COMMAND_TIMEOUT_MS });
  return stdout;
}

const succeeds = (command: string, args: string[]) =>
  sh(command, args).then(
    () => true,
    () => false,
  );

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not come back within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

// check_running fails while the node is up but its app is stopped (stop_app).
export const rabbitmqUp = () => succeeds('rabbitmq-diagnostics', ['-q', 'check_running']);
export const postgresUp = () => succeeds('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q']);
export const redisUp = async () =>
  (await sh('redis-cli', ['-p', '6379', 'ping']).catch(() => '')).trim() === 'PONG';

const pgCluster = async () => {
  const [version] = await readdir('/etc/postgresql');
  if (!version) throw new Error('no PostgreSQL cluster in /etc/postgresql');
  return ['--skip-systemctl-redirect', version, 'main'];
};

async function startRabbitmq(): Promise<void> {
  await sh('rabbitmqctl', ['-q', 'start_app']);
  await until('RabbitMQ', rabbitmqUp);
}

async function startPostgres(): Promise<void> {
  if (!(await postgresUp())) await sh('pg_ctlcluster', [...(await pgCluster()), 'start']).catch(() => '');
  await until('PostgreSQL', postgresUp);
}

async function startRedis(): Promise<void> {
  await sh('mkdir', ['-p', '/var/lib/redis', '/var/log/redis']);
  // These are CI's own flags (.ci/run): no persistence, so whatever Redis held is gone after the outage.
  await sh('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '-::1',
    '--port',
    '6379',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    '/var/lib/redis',
    '--logfile',
    '/var/log/redis/ci.log',
  ]);
  await until('Redis', redisUp);
}

/** `rabbitmqctl stop_app` for `seconds`, then `start_app`; `during` runs while it is down. */
export async function rabbitmqOutage(seconds: number, during?: () => Promise<void>): Promise<void> {
  await sh('rabbitmqctl', ['-q', 'stop_app']);
  try {
    await Promise.all([sleep(seconds * 1_000), during?.()]);
  } finally {
    await startRabbitmq();
  }
}

/** `pg_ctlcluster ... restart` (fast shutdown: every connection is cut). */
export async function restartPostgres(): Promise<void> {
  try {
    await sh('pg_ctlcluster', [...(await pgCluster()), 'restart']);
  } finally {
    await startPostgres();
  }
}

/** `redis-cli shutdown nosave` for `seconds`, then CI's redis-server; `during` runs while it is down. */
export async function redisOutage(seconds: number, during?: () => Promise<void>): Promise<void> {
  await sh('redis-cli', ['-p', '6379', 'shutdown', 'nosave']);
  try {
    await until('Redis to stop', async () => !(await redisUp()), 10_000);
    await Promise.all([sleep(seconds * 1_000), during?.()]);
  } finally {
    await startRedis();
  }
}

/** Brings back any of the three servers that is down (afterAll, whatever happened). */
export async function restoreServers(): Promise<void> {
  const results = await Promise.allSettled([
    (async () => (await rabbitmqUp()) || startRabbitmq())(),
    (async () => (await postgresUp()) || startPostgres())(),
    (async () => (await redisUp()) || startRedis())(),
  ]);
  const failed = results.flatMap((result) =>
    result.status === 'rejected' ? [result.reason as unknown] : [],
  );
  if (failed.length > 0) throw new AggregateError(failed, 'cannot restore the shared servers');
}

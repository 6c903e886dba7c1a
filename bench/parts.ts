/**
 * Parts of the shop as processes for a bench, on databases (`<prefix>_<service>`, dropped first),
 * Redis keys (`<prefix>:<service>:`) and a RabbitMQ virtual host of the bench's own, each on a
 * spare port: a shop running on the default ports, or another bench, is never touched.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dropDatabases, likeLiteral } from '@shop/testkit';
import { plainPort, startProcess, stopProcess, waitFor } from './lib.ts';

/** A RabbitMQ virtual host `vhost` of the bench's own when rabbitmqctl is at hand, else RABBITMQ_URL's. */
async function rabbitUrl(vhost: string): Promise<string> {
  const url = new URL(process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  const ctl = (...args: string[]) => promisify(execFile)('rabbitmqctl', ['-q', ...args], { timeout: 60_000 });
  try {
    await ctl('delete_vhost', vhost).catch(() => undefined);
    await ctl('add_vhost', vhost);
    await ctl('set_permissions', '-p', vhost, url.username || 'guest', '.*', '.*', '.*');
    url.pathname = `/${vhost}`;
  } catch {
    console.log('rabbitmqctl is not available: the run uses the virtual host of RABBITMQ_URL');
  }
  return url.toString();
}

export interface BenchParts<Part extends string> {
  /** Each part's address, `http://127.0.0.1:<port>`. */
  url: Record<Part, string>;
  /** The settings every part was started with (ports, `<PART>_URL`s, the bench's namespaces). */
  env: Record<string, string>;
  /** Where the parts' logs go. */
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts `parts` ([name, entry point] in start order) as processes named `prefix` (databases,
 * keys, virtual host), each on a spare port below 60000 (`plainPort`) in `<PART>_PORT`, and
 * every other part's address in `<PART>_URL`. `env(url)` adds settings that need the addresses.
 * A part in `healthyFirst` answers `/health` before the next ones start (the sandbox before the
 * bot that polls it). Resolves once every part's `/ready` answers.
 */
export async function startBenchParts<Part extends string>(
  prefix: string,
  parts: readonly (readonly [Part, string])[],
  options: { env?: (url: Record<Part, string>) => Record<string, string>; healthyFirst?: Part[] } = {},
): Promise<BenchParts<Part>> {
  const serverUrl = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await dropDatabases(serverUrl, [`${likeLiteral(`${prefix}_`)}%`]);
  const url = {} as Record<Part, string>;
  const env: Record<string, string> = { DATABASE_PREFIX: prefix, RABBITMQ_URL: await rabbitUrl(prefix) };
  for (const [part] of parts) {
    const port = await plainPort();
    url[part] = `http://127.0.0.1:${port}`;
    env[`${part.toUpperCase()}_PORT`] = String(port);
    env[`${part.toUpperCase()}_URL`] = url[part];
  }
  Object.assign(env, options.env?.(url));
  const logFile = join(tmpdir(), `${prefix.replaceAll('_', '-')}-${Date.now()}.log`);
  const children: ChildProcess[] = [];
  const stop = () => Promise.all(children.map((child) => stopProcess(child))).then(() => undefined);
  try {
    for (const [part, entry] of parts) {
      children.push(startProcess(entry, env, logFile));
      if (options.healthyFirst?.includes(part)) await waitFor(`${url[part]}/health`);
    }
    await Promise.all(parts.map(([part]) => waitFor(`${url[part]}/ready`, 120_000)));
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; the parts' logs: ${logFile}`, { cause: error });
  }
  return { url, env, logFile, stop };
}

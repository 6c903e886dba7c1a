/**
 * `npm start`: checks PostgreSQL, Redis and RabbitMQ, starts every part of the shop that exists as
 * its own process (each applies its migrations on start), prefixes and colours their logs, waits
 * until each answers /ready, and stops them all cleanly on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import {
  baseConfigSchema,
  loadConfigOrExit,
  localServers,
  missingServers,
  ports,
} from '../services/shared/src/index.ts';

const config = loadConfigOrExit(
  baseConfigSchema.extend({ ...ports, TELEGRAM_BOT_TOKEN: z.string().optional() }),
);
const root = new URL('..', import.meta.url);

let parts = [
  { name: 'auth', dir: 'services/auth', port: config.AUTH_PORT, color: 36 },
  { name: 'catalog', dir: 'services/catalog', port: config.CATALOG_PORT, color: 32 },
  { name: 'order', dir: 'services/order', port: config.ORDER_PORT, color: 33 },
  { name: 'payment', dir: 'services/payment', port: config.PAYMENT_PORT, color: 35 },
  { name: 'notification', dir: 'services/notification', port: config.NOTIFICATION_PORT, color: 34 },
  { name: 'bot', dir: 'bot', port: config.BOT_PORT, color: 31 },
].filter((part) => existsSync(new URL(`${part.dir}/src/main.ts`, root)));

// Telegram is the bot's only way to users: without a token it needs the local sandbox.
const sandboxBuilt = existsSync(new URL('services/sandbox/src/main.ts', root));
const skipBot = !config.TELEGRAM_BOT_TOKEN && !sandboxBuilt;
if (skipBot) parts = parts.filter((part) => part.name !== 'bot');

const width = Math.max('start'.length, ...parts.map((part) => part.name.length));
const tty = process.stdout.isTTY;
const label = (name: string, color: number) => {
  const text = `${name.padEnd(width)} |`;
  return tty ? `\u001b[${color}m${text}\u001b[0m` : text;
};
const say = (line: string) => process.stdout.write(`${label('start', 37)} ${line}\n`);

const missing = await missingServers(
  localServers({ postgres: config.POSTGRES_URL, redis: config.REDIS_URL, rabbitmq: config.RABBITMQ_URL }),
);
if (missing) {
  process.stderr.write(`${missing}\n`);
  process.exit(1);
}

const children = new Map<string, ChildProcess>();
let stopping = false;

function launch(part: (typeof parts)[number]): ChildProcess {
  const child = spawn(process.execPath, ['--conditions=source', 'src/main.ts'], {
    cwd: new URL(part.dir, root),
    env: { ...process.env, LOG_FORMAT: process.env.LOG_FORMAT ?? (tty ? 'pretty' : 'json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) =>
      process.stdout.write(`${label(part.name, part.color)} ${line}\n`),
    );
  }
  child.on('exit', (code, signal) => {
    children.delete(part.name);
    if (!stopping) {
      say(`${part.name} exited (${signal ?? `code ${code}`}); stopping everything`);
      void stop(1);
    }
  });
  return child;
}

async function waitReady(name: string, port: number, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const schema = z.object({ status: z.string() });
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok && schema.safeParse(await res.json()).success) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  if (!stopping) throw new Error(`${name} did not become ready on port ${port} within ${timeoutMs / 1000} s`);
}

async function stop(code: number): Promise<never> {
  stopping = true;
  const exits = [...children.values()].map(
    (child) =>
      new Promise<void>((resolve) =>
        child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
      ),
  );
  for (const child of children.values()) child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 15_000);
  await Promise.all(exits);
  clearTimeout(timer);
  say('stopped');
  process.exit(code);
}

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

say(`starting ${parts.map((part) => part.name).join(', ')}`);
if (skipBot) say('not starting the bot: set TELEGRAM_BOT_TOKEN (from @BotFather) to run it against Telegram');
for (const part of parts) children.set(part.name, launch(part));
try {
  await Promise.all(parts.map((part) => waitReady(part.name, part.port)));
} catch (error) {
  say((error as Error).message);
  await stop(1);
}
say('ready:');
for (const part of parts)
  say(`  ${part.name.padEnd(width)} http://localhost:${part.port}  (API docs: /docs)`);
say('press Ctrl-C to stop');

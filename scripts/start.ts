/**
 * `npm start`: checks PostgreSQL, Redis and RabbitMQ, starts every part of the shop as its own
 * process (each applies its migrations on start), prefixes and colours their logs, waits until
 * each answers /ready, and stops them all cleanly on Ctrl-C. Without TELEGRAM_BOT_TOKEN it also
 * starts the local Telegram sandbox and points the bot and the notification service at it; the
 * secrets they share are made for the run (see lib/start-env.ts).
 */
import { existsSync } from 'node:fs';
import {
  baseConfigSchema,
  loadConfigOrExit,
  localServers,
  missingServers,
  ports,
} from '../services/shared/src/index.ts';
import {
  PARTS,
  repositoryRoot,
  spawnPart,
  stopPart,
  waitReady,
  type PartProcess,
  type PartSpec,
} from './lib/processes.ts';
import { SANDBOX_OWNER, startEnv, usesSandbox } from './lib/start-env.ts';

const config = loadConfigOrExit(baseConfigSchema.extend(ports));

const useSandbox = usesSandbox(process.env);
const sandboxUrl = `http://localhost:${config.SANDBOX_PORT}`;
const parts = PARTS.filter(
  (part) =>
    existsSync(new URL(`${part.dir}/src/main.ts`, repositoryRoot)) && (useSandbox || part.name !== 'sandbox'),
);
const portOf = (part: PartSpec) => config[part.portVar];

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

const env = startEnv({ env: process.env, ports: config, tty });
const running = new Map<string, PartProcess>();
let stopping = false;

function launch(part: PartSpec): void {
  const proc = spawnPart(part, {
    env,
    onLine: (line) => process.stdout.write(`${label(part.name, part.color)} ${line}\n`),
  });
  running.set(part.name, proc);
  void proc.exited.then(({ code, signal }) => {
    running.delete(part.name);
    if (!stopping) {
      say(`${part.name} exited (${signal ?? `code ${code}`}); stopping everything`);
      void stop(1);
    }
  });
}

async function stop(code: number): Promise<never> {
  stopping = true;
  await Promise.all([...running.values()].map((part) => stopPart(part)));
  say('stopped');
  process.exit(code);
}

/** Whether the sandbox's shop owner is the admin: the sandbox runs and no admins are named. */
const ownerIsAdmin = useSandbox && env.ADMIN_TELEGRAM_IDS === String(SANDBOX_OWNER.id);

/** Puts the shop owner among the sandbox's users, so the web chat offers them. */
async function addSandboxOwner(): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${config.SANDBOX_PORT}/sandbox/api/users`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(SANDBOX_OWNER),
  });
  if (!res.ok) throw new Error(`the sandbox refused its shop owner: ${res.status} ${await res.text()}`);
}

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

say(`starting ${parts.map((part) => part.name).join(', ')}`);
if (useSandbox) say('no TELEGRAM_BOT_TOKEN: the bot talks to the local Telegram sandbox');
try {
  // The sandbox first, so the bot finds its Telegram at once; then the rest side by side.
  const [first, ...rest] = parts;
  const waves = first?.name === 'sandbox' ? [[first], rest] : [parts];
  for (const wave of waves) {
    for (const part of wave) launch(part);
    await Promise.all(wave.map((part) => waitReady(part.name, portOf(part), { cancelled: () => stopping })));
    if (wave[0]?.name === 'sandbox' && ownerIsAdmin) await addSandboxOwner();
  }
} catch (error) {
  say((error as Error).message);
  await stop(1);
}
say('ready:');
const whatIsThere: Partial<Record<PartSpec['name'], string>> = {
  web: '(the shop in a browser)',
  bot: '(health, metrics)',
};
for (const part of parts) {
  if (part.name === 'sandbox') continue;
  const there = whatIsThere[part.name] ?? '(API docs: /docs)';
  say(`  ${part.name.padEnd(width)} http://localhost:${portOf(part)}  ${there}`);
}
if (useSandbox) say(`open ${sandboxUrl} to chat with the bot (local Telegram sandbox)`);
if (ownerIsAdmin)
  say(`  the user "${SANDBOX_OWNER.firstName}" there is the shop's admin: send /admin to run the shop`);
say('press Ctrl-C to stop');

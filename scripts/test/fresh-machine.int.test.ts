/**
 * The README's commands on this machine as a newcomer has it: the `node` on PATH is whatever the
 * system ships (Node 20 here), and npm scripts must still run the shop on the Node the project
 * brings in node_modules/.bin.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, expect, it } from 'vitest';
import { PARTS, repositoryRoot } from '../lib/processes.ts';
import { SandboxChat, SandboxClient } from '../../test/support/sandbox.ts';
import { freePort, isolate } from '../../test/support/shop.ts';

// The machine's own tools, without node_modules/.bin or any Node the test runner came with.
const systemPath = '/usr/local/bin:/usr/bin:/bin';
const systemNode = spawnSync('node', ['--version'], { env: { PATH: systemPath }, encoding: 'utf8' });

const releases: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const release of releases) await release();
});

it('names the problem and the fix in one line when npm finds a Node that is too old', () => {
  const run = spawnSync('node', ['scripts/require-node.cjs'], {
    cwd: repositoryRoot,
    env: { PATH: systemPath },
    encoding: 'utf8',
  });
  const [major = 0, minor = 0] = systemNode.stdout.trim().slice(1).split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 17)) {
    expect(run.status).toBe(0);
    return;
  }
  expect(run.status).toBe(1);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`needs Node.js >= 22.17, but npm ran Node ${systemNode.stdout.trim().slice(1)}`);
  expect(lines[0]).toContain('Run `npm install`');
});

it('runs the whole shop with `npm start` from the system npm and Node', async () => {
  const isolated = await isolate('fresh');
  releases.push(isolated.release);
  const ports: Record<string, string> = {};
  for (const part of PARTS) ports[part.portVar] = String(await freePort());
  const child = spawn('npm', ['start'], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      ...isolated.env,
      ...ports,
      PATH: systemPath,
      LOG_LEVEL: 'warn',
      TELEGRAM_BOT_TOKEN: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream }).on('line', (line) => lines.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const sandboxUrl = `http://localhost:${ports.SANDBOX_PORT!}`;
  try {
    await expect
      .poll(() => lines.join('\n'), { timeout: 90_000, interval: 250 })
      .toContain(`open ${sandboxUrl} to chat with the bot`);
    const chat = await SandboxChat.create(new SandboxClient(sandboxUrl), 'Fresh machine');
    await chat.send('/catalog');
    await chat.waitFor(/Choose a category/);
  } finally {
    // npm forwards SIGINT to the script, as Ctrl-C in a terminal does to the whole group.
    process.kill(-child.pid!, 'SIGINT');
  }
  await exited;
  // npm itself ends by the signal it forwarded; the shop's own last word is that it stopped.
  expect(lines.at(-1)).toMatch(/start +\| stopped/);
  expect(lines.join('\n')).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|needs Node\.js/);
}, 120_000);

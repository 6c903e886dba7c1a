import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

const main = new URL('../src/main.ts', import.meta.url);

/** `node src/main.ts` as `npm start` runs it, with only `env` set besides PATH. */
function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=source', main.pathname], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, stderr: () => stderr };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const canConnect = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

const running: ReturnType<typeof startMain>[] = [];
afterEach(async () => {
  for (const run of running.splice(0)) {
    run.child.kill('SIGTERM');
    await run.exited;
  }
});

describe('the sandbox process', () => {
  it('refuses to start with NODE_ENV=production, saying why in one line', async () => {
    const run = startMain({ NODE_ENV: 'production', TELEGRAM_BOT_TOKEN: '123456:a-token' });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toBe(
      'sandbox: the sandbox is a fake Telegram for development and tests (it plays every user): it never runs with NODE_ENV=production\n',
    );
  });

  it('refuses to start without the bot token it is to accept, naming TELEGRAM_BOT_TOKEN', async () => {
    const run = startMain({ NODE_ENV: 'development' });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain('TELEGRAM_BOT_TOKEN=unset');
  });

  it('listens on the loopback address only unless SANDBOX_HOST says otherwise', async () => {
    const port = await freePort();
    const run = startMain({ SANDBOX_PORT: String(port), TELEGRAM_BOT_TOKEN: '123456:a-token' });
    running.push(run);
    await expect.poll(() => canConnect('127.0.0.1', port), { timeout: 15_000 }).toBe(true);
    // Another address of this machine: a server on every interface would answer here too.
    expect(await canConnect('127.0.0.2', port)).toBe(false);
  });
});

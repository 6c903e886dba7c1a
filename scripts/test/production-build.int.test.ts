/**
 * What the Docker image runs, without Docker: `npm run build`, then every part started from its
 * compiled output (`node dist/main.js`, type stripping off, NODE_ENV=production) against the local
 * PostgreSQL, Redis and RabbitMQ, kept apart from other runs by test/support/shop.ts.
 *
 * The build writes the same dist/ folders `npm run build` does (emptied first by its prebuild step);
 * nothing else in `npm test` reads them.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { createServer, get, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { eventually } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARTS, stopPart } from '../lib/processes.ts';
import { SandboxChat } from '../../test/support/sandbox.ts';
import { startShop, type Shop } from '../../test/support/shop.ts';
import { root } from './compose-file.ts';

const run = promisify(execFile);

/** GET over a fresh connection (no keep-alive pool), so a refused connection shows as an error. */
function status(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).once('error', reject);
  });
}

let shop: Shop | undefined;
beforeAll(async () => {
  // The npm beside this node, so the build runs on the same Node as the test.
  const bin = dirname(process.execPath);
  await run('npm', ['run', '--silent', 'build'], {
    cwd: root,
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
    timeout: 240_000,
  });
  shop = await startShop({
    suite: 'dist',
    compiled: true,
    env: {
      // As in the image (startShop makes the secrets, as npm start does).
      NODE_ENV: 'production',
      BCRYPT_COST: '4',
    },
    // The sandbox refuses production: it stands in for Telegram, which is no part of the image.
    partEnv: { sandbox: { NODE_ENV: 'development' } },
  });
}, 300_000);
afterAll(async () => {
  await shop?.close();
});

/** Every file under `dir` (relative to it), or none when it does not exist. */
async function filesIn(dir: URL): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(fileURLToPath(dir), join(entry.parentPath, entry.name)));
}

describe('the production build', () => {
  it('puts in dist/ only the JavaScript of src/ and its source maps: no declarations, build info, tests or test kit', async () => {
    const { references } = JSON.parse(await readFile(new URL('tsconfig.build.json', root), 'utf8')) as {
      references: { path: string }[];
    };
    const packages = references.map(({ path }) => path.replace(/\/tsconfig\.build\.json$/, ''));
    expect(packages).toEqual(expect.arrayContaining(PARTS.map((part) => part.dir)));
    const stray: string[] = [];
    for (const dir of packages) {
      const files = await filesIn(new URL(`${dir}/dist/`, root));
      expect(files.length, dir).toBeGreaterThan(0);
      for (const file of files) {
        const source = file.replace(/\.js(\.map)?$/, '.ts');
        const compiled =
          source !== file &&
          [source, `${source}x`].some((candidate) => existsSync(new URL(`${dir}/src/${candidate}`, root)));
        if (!compiled || /(^|\/)(test|testing)\/|\.test\.|testkit/.test(file))
          stray.push(`${dir}/dist/${file}`);
      }
    }
    expect(stray).toEqual([]);
    expect(await filesIn(new URL('services/testkit/dist/', root))).toEqual([]);
  });

  it('emits dist/main.js for every part, and each service migration as JavaScript', async () => {
    for (const part of PARTS) {
      expect(existsSync(new URL(`${part.dir}/dist/main.js`, root)), part.dir).toBe(true);
      const migrations = new URL(`${part.dir}/src/db/migrations/`, root);
      if (!existsSync(migrations)) continue;
      const sources = (await readdir(migrations)).filter((name) => name.endsWith('.ts'));
      const compiled = await readdir(new URL(`${part.dir}/dist/db/migrations/`, root));
      expect(sources.length, part.dir).toBeGreaterThan(0);
      for (const source of sources) expect(compiled, part.dir).toContain(source.replace(/\.ts$/, '.js'));
    }
  });

  it('runs every part from compiled output in production mode: ready, serving, and chatting through the sandbox', async () => {
    const instances = shop!.instances();
    expect(instances.map((instance) => instance.name).sort()).toEqual(PARTS.map((part) => part.name).sort());
    for (const { name, port } of instances) {
      expect(await status(port, '/health'), name).toBe(200);
      expect(await status(port, '/ready'), name).toBe(200);
    }
    expect(await status(shop!.instances().find((i) => i.name === 'auth')!.port, '/docs')).toBe(200);
    // The sandbox's web chat files and the bot's texts live outside src/*.ts: both must be found.
    expect(await status(shop!.instances().find((i) => i.name === 'sandbox')!.port, '/')).toBe(200);
    const chat = await SandboxChat.create(shop!.sandbox, 'Dist');
    await chat.send('/catalog');
    await chat.waitFor(/Choose a category/);
  });

  it('answers a request in flight when SIGTERM arrives, refuses new ones meanwhile, then exits 0', async () => {
    // A catalog that holds its answers until told, so order's /ready stays in flight.
    const held: ServerResponse[] = [];
    let holding = false;
    let arrived: () => void = () => undefined;
    const heldOne = new Promise<void>((resolve) => (arrived = resolve));
    const catalog = createServer((req, res) => {
      if (!holding) return void res.end(JSON.stringify({ status: 'ok' }));
      held.push(res);
      arrived();
    });
    await new Promise<void>((resolve) => catalog.listen(0, '127.0.0.1', resolve));
    const catalogPort = (catalog.address() as AddressInfo).port;
    try {
      const order = await shop!.start('order', {
        index: 2,
        env: { CATALOG_URL: `http://127.0.0.1:${catalogPort}`, CATALOG_TIMEOUT_MS: '30000' },
      });
      // Started means /ready answers 200, which a broker still connecting (degraded) also gets:
      // wait for every dependency, so the answer below is down to the held catalog alone.
      await eventually(async () => {
        const ready = await fetch(`http://127.0.0.1:${order.port}/ready`);
        expect(await ready.json()).toMatchObject({ status: 'ok' });
      });
      holding = true;
      const inFlight = fetch(`http://127.0.0.1:${order.port}/ready`);
      await heldOne;

      order.process.child.kill('SIGTERM');
      await eventually(() => expect(status(order.port, '/health')).rejects.toThrow(), 10_000, 50);
      expect(order.process.child.exitCode).toBeNull();
      for (const res of held) res.end(JSON.stringify({ status: 'ok' }));

      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ status: 'ok', checks: { catalog: 'ok' } });
      expect(await order.process.exited).toEqual({ code: 0, signal: null });
    } finally {
      catalog.closeAllConnections();
      catalog.close();
    }
  });

  it('stops every part on SIGTERM with exit code 0', async () => {
    const running = shop!.instances().filter((instance) => instance.process.child.exitCode === null);
    expect(running.length).toBe(PARTS.length);
    const exits = await Promise.all(running.map((instance) => stopPart(instance.process)));
    expect(Object.fromEntries(running.map((instance, index) => [instance.name, exits[index]]))).toEqual(
      Object.fromEntries(running.map((instance) => [instance.name, { code: 0, signal: null }])),
    );
  });
});

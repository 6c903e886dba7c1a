/**
 * `npm start` as a newcomer runs it: one command, every part up, the sandbox URL printed, the bot
 * answering in it, and Ctrl-C stopping everything; and a clear refusal when a server is missing.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, expect, it } from 'vitest';
import { PARTS, repositoryRoot } from '../lib/processes.ts';
import { SandboxChat, SandboxClient } from '../../test/support/sandbox.ts';
import { freePort, isolate } from '../../test/support/shop.ts';

function startScript(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--conditions=source', 'scripts/start.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', TELEGRAM_BOT_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream }).on('line', (l) => lines.push(l));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

const releases: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const release of releases) await release();
});

it('refuses to start without RabbitMQ, naming it and how to start it', async () => {
  const run = startScript({ RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${await freePort()}` });
  expect(await run.exited).toBe(1);
  const output = run.lines.join('\n');
  expect(output).toMatch(
    /RabbitMQ is not reachable at amqp:\/\/guest:guest@127\.0\.0\.1:\d+; start it with: rabbitmq-server/,
  );
  expect(output).toContain('docker compose up -d postgres redis rabbitmq');
  expect(output).not.toMatch(/PostgreSQL is not|Redis is not/);
});

it('starts every part with the sandbox when there is no token, and Ctrl-C stops them all', async () => {
  const isolated = await isolate('start');
  releases.push(isolated.release);
  const ports: Record<string, string> = {};
  for (const part of PARTS) ports[part.portVar] = String(await freePort());
  const run = startScript({ ...isolated.env, ...ports });
  const sandboxUrl = `http://localhost:${ports.SANDBOX_PORT!}`;
  try {
    await expect
      .poll(() => run.lines.join('\n'), { timeout: 90_000, interval: 250 })
      .toContain(`open ${sandboxUrl} to chat with the bot`);
    for (const part of PARTS.filter((p) => p.name !== 'sandbox'))
      expect(run.lines.join('\n')).toContain(`http://localhost:${ports[part.portVar]!}`);

    // The sandbox's shop owner is the admin: /admin opens the merchant's menu for them alone.
    const sandbox = new SandboxClient(sandboxUrl);
    expect(run.lines.join('\n')).toContain('the user "Shop owner" there is the shop\'s admin: send /admin');
    const owner = (await sandbox.users()).find((user) => user.firstName === 'Shop owner');
    expect(owner).toBeDefined();
    const ownerChat = new SandboxChat(sandbox, owner!);
    await ownerChat.send('/admin');
    await ownerChat.waitFor(/^🛠 Shop management/);

    const chat = await SandboxChat.create(sandbox, 'Newcomer');
    await chat.send('/admin');
    await chat.waitFor(/^I do not know that command/);
    await chat.send('/catalog');
    await chat.waitFor(/Choose a category/);

    // Every demo product has a picture, and the bot shows it in the chat.
    const catalog = `http://127.0.0.1:${ports.CATALOG_PORT!}`;
    const { items, total } = (await (await fetch(`${catalog}/products?limit=50`)).json()) as {
      items: { imageUrl: string | null }[];
      total: number;
    };
    expect(items).toHaveLength(total);
    expect(items.filter((item) => item.imageUrl === null)).toEqual([]);
    await chat.press(/^Electronics/);
    await chat.press(/^Wireless Earbuds · /);
    const card = await chat.waitFor(/^Wireless Earbuds\n/);
    expect(card.photo).toBeDefined();
    // The local storefront is the bot's Mini App: the menu button and the card's "Open in shop".
    const storefront = `http://localhost:${ports.WEB_PORT!}/`;
    expect(await sandbox.menuButton(chat.user.id)).toEqual({
      type: 'web_app',
      text: 'Shop',
      web_app: { url: storefront },
    });
    const opened = await chat.openWebApp('🌐 Open in shop');
    expect(opened.url).toMatch(new RegExp(`^${storefront}products/\\d+$`));
    const picture = await fetch(`${sandboxUrl}${card.photo!.url}`);
    expect(picture.headers.get('Content-Type')).toBe('image/jpeg');

    // The storefront shows the same catalog, in a browser, its photos from its own origin.
    expect(run.lines.join('\n')).toMatch(new RegExp(`web +http://localhost:${ports.WEB_PORT!} `));
    const web = `http://127.0.0.1:${ports.WEB_PORT!}`;
    const page = await (await fetch(`${web}/?q=Wireless+Earbuds`)).text();
    expect(page).toContain('Wireless Earbuds');
    const photo = /<img src="(\/products\/\d+\/image\?v=[\w-]+)"/.exec(page)?.[1];
    expect((await fetch(`${web}${photo!}`)).headers.get('Content-Type')).toBe('image/jpeg');

    // The service token is the run's own: the one this repository once printed links nothing.
    const auth = `http://127.0.0.1:${ports.AUTH_PORT!}`;
    const account = { email: `start-${crypto.randomUUID()}@example.test`, password: 'a good start password' };
    const post = (path: string, body: unknown, headers: Record<string, string> = {}, method = 'POST') =>
      fetch(`${auth}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    expect((await post('/auth/register', account)).status).toBe(201);
    const { accessToken } = (await (await post('/auth/login', account)).json()) as { accessToken: string };
    const link = await post(
      '/auth/me/telegram',
      { telegramId: 424242, languageCode: 'en' },
      { Authorization: `Bearer ${accessToken}`, 'X-Service-Token': 'dev-only-bot-service-token' },
      'PUT',
    );
    expect([401, 403]).toContain(link.status);
    const me = await fetch(`${auth}/auth/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(await me.json()).toMatchObject({ telegramId: null });
  } finally {
    run.child.kill('SIGINT');
  }
  expect(await run.exited).toBe(0);
  expect(run.lines.at(-1)).toMatch(/start +\| stopped/);
  for (const port of Object.values(ports))
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
}, 120_000);

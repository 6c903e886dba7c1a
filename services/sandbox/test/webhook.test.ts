import { createServer, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '@shop/testkit';
import { Bot, webhookCallback } from 'grammy';
import type { Update } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSandbox, TOKEN } from './harness.ts';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
const servers: Server[] = [];
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(async () => {
  await sandbox.close();
  for (const server of servers.splice(0)) server.close();
});

async function listen(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

interface Delivery {
  headers: IncomingHttpHeaders;
  update: Update;
}

/** A webhook endpoint that answers with the statuses given, then 200; it records every delivery. */
async function recordingEndpoint(statuses: number[] = []) {
  const deliveries: Delivery[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const url = await listen((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, update: JSON.parse(body) as Update });
      // A short pause keeps a second delivery in flight if the sandbox ever sent one too early.
      setTimeout(() => {
        inFlight--;
        res.writeHead(statuses.shift() ?? 200).end();
      }, 5);
    });
  });
  return { url, deliveries, maxInFlight: () => maxInFlight };
}

describe('webhook', () => {
  it('posts updates with the secret header and retries after the endpoint fails', async () => {
    const endpoint = await recordingEndpoint([500]);
    const user = await sandbox.createUser();
    expect(await sandbox.botCall('setWebhook', { url: endpoint.url, secret_token: 'my_secret-1' })).toEqual({
      status: 200,
      body: { ok: true, result: true, description: 'Webhook was set' },
    });

    await sandbox.say(user.id, 'hi there');
    await eventually(() => expect(endpoint.deliveries).toHaveLength(2));
    const [failed, retried] = endpoint.deliveries;
    expect(retried!.update).toEqual(failed!.update);
    expect(retried!.update.message?.text).toBe('hi there');
    expect(retried!.headers['x-telegram-bot-api-secret-token']).toBe('my_secret-1');

    await eventually(async () =>
      expect(await sandbox.api.getWebhookInfo()).toMatchObject({
        url: endpoint.url,
        pending_update_count: 0,
        last_error_message: 'Wrong response from the webhook: 500 Internal Server Error',
      }),
    );
  });

  it('delivers one update at a time, in order', async () => {
    const endpoint = await recordingEndpoint();
    const user = await sandbox.createUser();
    await sandbox.api.setWebhook(endpoint.url);
    for (const text of ['1', '2', '3', '4']) await sandbox.say(user.id, text);

    await eventually(() => expect(endpoint.deliveries).toHaveLength(4));
    expect(endpoint.deliveries.map((delivery) => delivery.update.message?.text)).toEqual([
      '1',
      '2',
      '3',
      '4',
    ]);
    expect(endpoint.maxInFlight()).toBe(1);
  });

  it('refuses getUpdates while a webhook is set, and hands updates to getUpdates once it is deleted', async () => {
    const user = await sandbox.createUser();
    await sandbox.api.setWebhook('http://127.0.0.1:9/unreachable');
    await sandbox.say(user.id, 'kept');
    expect(await sandbox.botCall('getUpdates')).toEqual({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      },
    });

    expect(await sandbox.botCall('deleteWebhook')).toMatchObject({
      body: { result: true, description: 'Webhook was deleted' },
    });
    const updates = await sandbox.api.getUpdates({ timeout: 0 });
    expect(updates.map((update) => update.message?.text)).toEqual(['kept']);
    expect((await sandbox.api.getWebhookInfo()).url).toBe('');
  });

  it('drops pending updates when asked to', async () => {
    const user = await sandbox.createUser();
    await sandbox.say(user.id, 'old');
    await sandbox.api.deleteWebhook({ drop_pending_updates: true });
    expect(await sandbox.api.getUpdates({ timeout: 0 })).toEqual([]);
  });

  it("works with grammY's webhookCallback and its secret token check", async () => {
    const bot = new Bot(TOKEN, { client: { apiRoot: sandbox.url } });
    bot.command('start', (ctx) => ctx.reply('Welcome!'));
    const handle = webhookCallback(bot, 'http', { secretToken: 'topsecret' });
    const url = await listen((req, res) => void handle(req, res));
    const user = await sandbox.createUser();
    await sandbox.api.setWebhook(url, { secret_token: 'topsecret' });

    await sandbox.say(user.id, '/start');
    await eventually(async () =>
      expect((await sandbox.messages(user.id)).map((message) => message.text)).toEqual([
        '/start',
        'Welcome!',
      ]),
    );
  });

  it("runs a method the webhook answers with, as Telegram's webhook reply", async () => {
    const user = await sandbox.createUser();
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ method: 'sendMessage', chat_id: user.id, text: 'answered in the reply' }));
    });
    await sandbox.api.setWebhook(url);
    await sandbox.say(user.id, 'hello');
    await eventually(async () =>
      expect((await sandbox.messages(user.id)).map((message) => message.text)).toEqual([
        'hello',
        'answered in the reply',
      ]),
    );
  });
});

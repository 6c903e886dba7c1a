import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isPrivateAddress,
  OutsideNetworkError,
  privateAddresses,
  requestPrivate,
} from '../src/net/private-network.ts';
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

/** A local HTTP server; resolves with its port and the paths it was asked for. */
async function listen(handler: RequestListener) {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url ?? '');
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, asked };
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const badRequest = (description: string) => ({
  status: 400,
  body: { ok: false, error_code: 400, description: `Bad Request: ${description}` },
});

describe('the Bot API accepts only the bot token the sandbox was started with', () => {
  it.each([
    ['another well-formed token', '654321:another-bot'],
    ['the token every sandbox once accepted', '000000:sandbox'],
    ['its own token with one character changed', `${TOKEN.slice(0, -1)}X`],
    ['its own token with more after it', `${TOKEN}0`],
  ])("answers Telegram's 401 to %s", async (_name, token) => {
    for (const method of ['getMe', 'getUpdates', 'setWebhook', 'sendMessage']) {
      expect(await sandbox.botCall(method, { url: 'http://127.0.0.1:1/hook' }, token)).toEqual({
        status: 401,
        body: { ok: false, error_code: 401, description: 'Unauthorized' },
      });
    }
    expect((await sandbox.api.getWebhookInfo()).url).toBe('');
  });
});

describe('the sandbox sends requests only to this machine and its private networks', () => {
  it.each([
    ['a public host name', 'http://example.com/hook'],
    ['a public address', 'http://93.184.215.14/hook'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['the metadata address inside IPv6', 'http://[::ffff:169.254.169.254]/latest/meta-data/'],
    ['a link-local IPv6 address', 'http://[fe80::1]/hook'],
    ['the unspecified address', 'http://0.0.0.0:3000/hook'],
  ])('refuses a webhook on %s', async (_name, url) => {
    const answer = await sandbox.botCall('setWebhook', { url });
    expect(answer).toMatchObject({ status: 400, body: { ok: false, error_code: 400 } });
    expect(answer.body.description).toMatch(/^Bad Request: bad webhook: /);
    expect((await sandbox.api.getWebhookInfo()).url).toBe('');
  });

  it('takes a webhook on this machine (by address or as localhost) or on a private network', async () => {
    const { port } = await listen((_req, res) => res.end());
    for (const url of [
      `http://127.0.0.1:${port}/hook`,
      `http://localhost:${port}/hook`,
      'http://10.1.2.3:3000/hook',
      'http://172.18.0.5:3000/hook',
      'http://192.168.1.20:3000/hook',
      'http://[fd00::5]:3000/hook',
    ]) {
      expect(await sandbox.botCall('setWebhook', { url }), url).toMatchObject({ status: 200 });
    }
  });

  it('refuses a photo by URL from outside, and takes one from this machine', async () => {
    const user = await sandbox.createUser();
    for (const photo of ['http://169.254.169.254/latest/meta-data/iam', 'http://93.184.215.14/tea.png']) {
      expect(await sandbox.botCall('sendPhoto', { chat_id: user.id, photo }), photo).toEqual(
        badRequest('failed to get HTTP URL content'),
      );
    }
    const { port } = await listen((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG),
    );
    expect(
      await sandbox.botCall('sendPhoto', { chat_id: user.id, photo: `http://localhost:${port}/tea.png` }),
    ).toMatchObject({ status: 200 });
  });

  it('does not follow a redirect when it fetches a photo for the web chat', async () => {
    const target = await listen((_req, res) => res.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG));
    const redirect = await listen((_req, res) =>
      res.writeHead(302, { Location: `http://127.0.0.1:${target.port}/secret.png` }).end(),
    );
    const user = await sandbox.createUser();
    const sent = await sandbox.api.sendPhoto(user.id, `http://127.0.0.1:${redirect.port}/tea.png`);

    const picture = await fetch(`${sandbox.url}/sandbox/files/${sent.photo[0]!.file_id}`);
    expect(picture.status).toBe(404);
    expect(redirect.asked).toEqual(['/tea.png']);
    expect(target.asked).toEqual([]);
  });

  it('checks the address again when it connects: a name that now points outside is refused', async () => {
    const { port, asked } = await listen((_req, res) => res.end('ok'));
    const resolvesOutside = () => Promise.resolve([{ address: '169.254.169.254', family: 4 }]);
    const resolvesHere = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);

    const url = new URL(`http://shop-bot.internal:${port}/hook`);
    expect((await requestPrivate(url, { resolve: resolvesHere })).body.toString()).toBe('ok');
    await expect(requestPrivate(url, { resolve: resolvesOutside })).rejects.toThrow(OutsideNetworkError);
    expect(asked).toEqual(['/hook']);
  });

  it('refuses a name when any of its addresses is outside', async () => {
    const mixed = () =>
      Promise.resolve([
        { address: '10.0.0.7', family: 4 },
        { address: '2606:4700::1111', family: 6 },
      ]);
    await expect(privateAddresses('shop.example', mixed)).rejects.toThrow(
      '2606:4700::1111 is outside this machine and its private networks',
    );
  });

  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['10.20.30.40', true],
    ['172.16.0.1', true],
    ['172.31.255.254', true],
    ['192.168.0.1', true],
    ['fd12:3456::1', true],
    ['::ffff:192.168.1.1', true],
    ['172.32.0.1', false],
    ['169.254.169.254', false],
    ['::ffff:169.254.169.254', false],
    ['fe80::1', false],
    ['0.0.0.0', false],
    ['::', false],
    ['100.64.0.1', false],
    ['8.8.8.8', false],
    ['2001:4860:4860::8888', false],
    ['not an address', false],
  ])('counts %s as private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

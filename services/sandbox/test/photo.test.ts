import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputFile } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSandbox } from './harness.ts';

// A 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
let server: Server | undefined;
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(async () => {
  await sandbox.close();
  server?.close();
});

describe('sendPhoto', () => {
  it('takes an uploaded file (multipart), returns a photo message and serves the picture to the web chat', async () => {
    const user = await sandbox.createUser();
    const sent = await sandbox.api.sendPhoto(user.id, new InputFile(PNG, 'tea.png'), {
      caption: '<i>Green tea</i>',
      parse_mode: 'HTML',
    });
    expect(sent).toMatchObject({
      message_id: 1,
      caption: 'Green tea',
      caption_entities: [{ type: 'italic', offset: 0, length: 9 }],
      photo: [{ file_id: expect.any(String), file_unique_id: expect.any(String), file_size: PNG.byteLength }],
    });
    const [view] = await sandbox.messages(user.id);
    expect(view).toMatchObject({
      from: 'bot',
      text: '',
      caption: 'Green tea',
      photo: { fileId: sent.photo[0]!.file_id },
    });

    const picture = await fetch(`${sandbox.url}${view!.photo!.url}`);
    expect(picture.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await picture.arrayBuffer())).toEqual(PNG);

    const again = await sandbox.api.sendPhoto(user.id, sent.photo[0]!.file_id);
    expect(again.photo[0]!.file_id).toBe(sent.photo[0]!.file_id);
  });

  it('refuses an upload that is not an image', async () => {
    const user = await sandbox.createUser();
    await expect(
      sandbox.api.sendPhoto(user.id, new InputFile(Buffer.from('plain text'), 'a.txt')),
    ).rejects.toThrow('Bad Request: IMAGE_PROCESS_FAILED');
  });

  it('takes a photo by URL and fetches it for the web chat, which loads nothing remote', async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tea.png`;
    const user = await sandbox.createUser();

    const sent = await sandbox.api.sendPhoto(user.id, url);
    const picture = await fetch(`${sandbox.url}/sandbox/files/${sent.photo[0]!.file_id}`);
    expect(picture.status).toBe(200);
    expect(Buffer.from(await picture.arrayBuffer())).toEqual(PNG);
    await expect(sandbox.api.sendPhoto(user.id, 'no-such-file-id')).rejects.toThrow(
      'Bad Request: wrong file identifier/HTTP URL specified',
    );
  });
});

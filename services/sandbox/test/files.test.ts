import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSandbox, TOKEN } from './harness.ts';

// A 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(() => sandbox.close());

const upload = (chatId: number, kind: 'photos' | 'documents', bytes: Uint8Array, query = '') =>
  fetch(`${sandbox.url}/sandbox/api/chats/${chatId}/${kind}${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });

describe('a user sends a file, and the bot fetches it', () => {
  it('hands the bot a photo update it can getFile and download through its own token', async () => {
    const user = await sandbox.createUser();
    const sent = await upload(user.id, 'photos', PNG, '?caption=Teapot');
    expect(sent.status).toBe(201);

    const [update] = await sandbox.api.getUpdates({ timeout: 0 });
    const photo = update?.message?.photo?.at(-1);
    expect(update?.message).toMatchObject({ caption: 'Teapot', from: { id: user.id } });
    expect(photo?.file_size).toBe(PNG.byteLength);

    const file = await sandbox.api.getFile(photo!.file_id);
    expect(file).toMatchObject({ file_id: photo!.file_id, file_size: PNG.byteLength });
    const download = await fetch(`${sandbox.url}/file/bot${TOKEN}/${file.file_path}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);

    // Another token gets nothing, and a path getFile never gave is not found.
    expect((await fetch(`${sandbox.url}/file/bot1:other/${file.file_path}`)).status).toBe(401);
    expect((await fetch(`${sandbox.url}/file/bot${TOKEN}/photos/nothing.jpg`)).status).toBe(404);
    // The web chat shows it as the user's photo.
    expect((await sandbox.messages(user.id)).at(-1)).toMatchObject({
      from: 'user',
      photo: { fileId: photo!.file_id },
    });
  });

  it('hands the bot a document update with its name, type and size', async () => {
    const user = await sandbox.createUser();
    expect((await upload(user.id, 'documents', PNG, '?name=tea.png')).status).toBe(201);
    const [update] = await sandbox.api.getUpdates({ timeout: 0 });
    expect(update?.message?.document).toMatchObject({
      file_name: 'tea.png',
      mime_type: 'image/png',
      file_size: PNG.byteLength,
    });
    const file = await sandbox.api.getFile(update!.message!.document!.file_id);
    expect(file.file_path).toMatch(/^documents\//);
  });

  it('refuses getFile of a file over 20 MB, as Telegram does for bots', async () => {
    const user = await sandbox.createUser();
    const big = new Uint8Array(20 * 1024 * 1024 + 1);
    expect((await upload(user.id, 'documents', big, '?name=big.bin')).status).toBe(201);
    const [update] = await sandbox.api.getUpdates({ timeout: 0 });
    expect(update?.message?.document?.file_size).toBe(big.byteLength);
    const reply = await sandbox.botCall('getFile', { file_id: update!.message!.document!.file_id });
    expect(reply).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: file is too big' },
    });
  });

  it('refuses a photo that is not an image, an empty one, and an unknown file_id', async () => {
    const user = await sandbox.createUser();
    expect((await upload(user.id, 'photos', Buffer.from('plain text'))).status).toBe(415);
    expect((await upload(user.id, 'photos', new Uint8Array(0))).status).toBe(400);
    expect((await upload(999_999, 'photos', PNG)).status).toBe(404);
    const reply = await sandbox.botCall('getFile', { file_id: 'AgACnope' });
    expect(reply.body).toMatchObject({ ok: false, error_code: 400 });
  });
});

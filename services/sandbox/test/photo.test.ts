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

describe('editMessageMedia', () => {
  it('turns a text message into a photo (upload), then into another photo by file_id, as the web chat shows', async () => {
    const user = await sandbox.createUser();
    const keyboard = { inline_keyboard: [[{ text: 'Next', callback_data: 'next' }]] };
    const card = await sandbox.api.sendMessage(user.id, 'Choose a product', { reply_markup: keyboard });

    const edited = await sandbox.api.editMessageMedia(
      user.id,
      card.message_id,
      {
        type: 'photo',
        media: new InputFile(PNG, 'tea.png'),
        caption: '<b>Green tea</b>',
        parse_mode: 'HTML',
      },
      { reply_markup: keyboard },
    );
    expect(edited).toMatchObject({
      message_id: card.message_id,
      caption: 'Green tea',
      caption_entities: [{ type: 'bold', offset: 0, length: 9 }],
      reply_markup: keyboard,
    });
    expect(edited).not.toHaveProperty('text');
    const uploaded = (edited as { photo: { file_id: string }[] }).photo[0]!.file_id;
    let [view] = await sandbox.messages(user.id);
    expect(view).toMatchObject({
      messageId: card.message_id,
      text: '',
      caption: 'Green tea',
      photo: { fileId: uploaded },
    });
    expect(view!.editDate).toBeDefined();
    const picture = await fetch(`${sandbox.url}${view!.photo!.url}`);
    expect(Buffer.from(await picture.arrayBuffer())).toEqual(PNG);

    // Another photo, sent earlier, reused by its file_id: nothing is uploaded.
    const other = await sandbox.api.sendPhoto(user.id, new InputFile(Buffer.from(PNG), 'coffee.png'));
    const reused = other.photo[0]!.file_id;
    const again = await sandbox.api.editMessageMedia(user.id, card.message_id, {
      type: 'photo',
      media: reused,
      caption: 'Coffee',
    });
    expect((again as { photo: { file_id: string }[] }).photo[0]!.file_id).toBe(reused);
    [view] = await sandbox.messages(user.id);
    // Without reply_markup the edit drops the keyboard, as on Telegram.
    expect(view).toMatchObject({ caption: 'Coffee', photo: { fileId: reused } });
    expect(view!.replyMarkup).toBeUndefined();
  });

  it('refuses an edit that changes nothing, media that is not a photo, and a file_id it never issued', async () => {
    const user = await sandbox.createUser();
    const sent = await sandbox.api.sendPhoto(user.id, new InputFile(PNG, 'tea.png'), { caption: 'Tea' });
    const fileId = sent.photo[0]!.file_id;
    const edit = (media: unknown) =>
      sandbox.botCall('editMessageMedia', { chat_id: user.id, message_id: sent.message_id, media });
    expect((await edit({ type: 'photo', media: fileId, caption: 'Tea' })).body.description).toMatch(
      /message is not modified/,
    );
    expect((await edit({ type: 'video', media: fileId })).status).toBe(400);
    expect((await edit({ type: 'photo', media: 'no-such-file' })).body.description).toBe(
      'Bad Request: wrong file identifier/HTTP URL specified',
    );
    expect((await edit('not json')).body.description).toBe("Bad Request: can't parse InputMedia JSON object");
    expect((await edit({ type: 'photo', media: 'attach://missing' })).status).toBe(400);
  });

  it('edits the caption of a photo and keeps the photo', async () => {
    const user = await sandbox.createUser();
    const sent = await sandbox.api.sendPhoto(user.id, new InputFile(PNG, 'tea.png'), { caption: 'Tea' });
    const edited = await sandbox.api.editMessageCaption(user.id, sent.message_id, { caption: 'Tea, 50 g' });
    expect(edited).toMatchObject({ caption: 'Tea, 50 g', photo: [{ file_id: sent.photo[0]!.file_id }] });
  });
});

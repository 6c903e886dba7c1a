import { createRoute, z } from '@hono/zod-openapi';
import {
  AppError,
  badRequest,
  errorResponses,
  jsonResponse,
  notFound,
  readLimitedBody,
  type ServiceApp,
} from '@shop/shared';
import type { Message } from 'grammy/types';
import { imageType, photoSizes } from '../bot-api/methods/photo.ts';
import { telegramUser } from '../world/chats.ts';
import type { World } from '../world/index.ts';
import { messageView } from '../world/views.ts';
import { chatParamsSchema, sentMessageSchema } from './schemas.ts';

/** Telegram takes photos of at most 10 MB. */
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** Users send far larger documents; this is enough to send one over a bot's 20 MB download limit. */
const DOCUMENT_MAX_BYTES = 32 * 1024 * 1024;

/** For the app's body limit: only these routes take files. */
export const fileUploads = [
  { method: 'POST', path: /^\/sandbox\/api\/chats\/\d+\/photos$/, maxBytes: PHOTO_MAX_BYTES },
  { method: 'POST', path: /^\/sandbox\/api\/chats\/\d+\/documents$/, maxBytes: DOCUMENT_MAX_BYTES },
];

const binary = z.string().openapi({ type: 'string', format: 'binary' });
const tags = ['sandbox'];
const photoRoute = createRoute({
  method: 'post',
  path: '/sandbox/api/chats/{chatId}/photos',
  tags,
  description:
    'The user sends a photo (the body: a JPEG, PNG, GIF or WebP file, at most 10 MB): the bot gets an update with `message.photo`, and can fetch it with getFile.',
  request: {
    params: chatParamsSchema,
    query: z.object({ caption: z.string().max(1024).optional() }),
    body: { required: true, content: { 'application/octet-stream': { schema: binary } } },
  },
  responses: { 201: jsonResponse(sentMessageSchema, 'Sent'), ...errorResponses(400, 404, 413, 415) },
});
const documentRoute = createRoute({
  method: 'post',
  path: '/sandbox/api/chats/{chatId}/documents',
  tags,
  description:
    'The user sends a file as a document (the body, at most 32 MB): the bot gets an update with `message.document`; getFile refuses one over 20 MB, as Telegram does.',
  request: {
    params: chatParamsSchema,
    query: z.object({ name: z.string().min(1).max(255).default('file') }),
    body: { required: true, content: { 'application/octet-stream': { schema: binary } } },
  },
  responses: { 201: jsonResponse(sentMessageSchema, 'Sent'), ...errorResponses(400, 404, 413) },
});

/** Photos and documents a user sends the bot. */
export function registerFileRoutes(app: ServiceApp, world: World): void {
  app.openAPIRegistry.registerPath(photoRoute);
  app.openAPIRegistry.registerPath(documentRoute);

  const chatOf = (raw: string) => {
    const chat = /^\d{1,16}$/.test(raw) ? world.chats.get(Number(raw)) : undefined;
    if (!chat) throw notFound(`User ${raw}`);
    return chat;
  };
  const fileOf = async (request: Request, maxBytes: number) => {
    const bytes = await readLimitedBody(request, maxBytes);
    if (bytes.byteLength === 0) throw badRequest('empty_body', 'The body is the file, and it is empty');
    return new Uint8Array(bytes);
  };

  /** Appends the user's message and hands it to the bot as an update. */
  const sendAs = (chat: ReturnType<typeof chatOf>, content: Partial<Message>) => {
    const from = telegramUser(chat.user);
    const stored = world.chats.append(chat, 'user', (base) => ({ ...base, from, ...content }));
    world.updates.push({ message: { ...stored.message, chat: chat.chat, from } });
    return { message: messageView(stored) };
  };

  app.post('/sandbox/api/chats/:chatId/photos', async (c) => {
    const chat = chatOf(c.req.param('chatId'));
    const bytes = await fileOf(c.req.raw, PHOTO_MAX_BYTES);
    const contentType = imageType(bytes);
    if (!contentType)
      throw new AppError(415, 'unsupported_media_type', 'A photo is a JPEG, PNG, GIF or WebP file');
    const file = world.files.add({ bytes, contentType });
    const caption = c.req.query('caption');
    return c.json(sendAs(chat, { photo: photoSizes(file), ...(caption ? { caption } : {}) }), 201);
  });

  app.post('/sandbox/api/chats/:chatId/documents', async (c) => {
    const chat = chatOf(c.req.param('chatId'));
    const bytes = await fileOf(c.req.raw, DOCUMENT_MAX_BYTES);
    const fileName = c.req.query('name') ?? 'file';
    const contentType = imageType(bytes) ?? 'application/octet-stream';
    const file = world.files.add({ bytes, contentType, fileName }, 'documents');
    const document = {
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      file_name: fileName,
      mime_type: contentType,
      file_size: bytes.byteLength,
    };
    return c.json(sendAs(chat, { document }), 201);
  });
}

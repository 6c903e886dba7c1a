import { AsyncLocalStorage } from 'node:async_hooks';

/** One Bot API call as the bot made it. */
export interface ApiCall {
  method: string;
  /** The update whose handling made the call (see `handling`); none for a call made outside one. */
  update?: number;
  payload: Record<string, unknown>;
  result?: unknown;
  /** Files uploaded with the call (multipart), by the name of their part. */
  uploads?: Record<string, Uint8Array>;
}

/** A message as the fake keeps it: what a callback query's `message` shows of it. */
export interface FakeMessage {
  text?: string;
  caption?: string;
  photo?: { file_id: string; file_unique_id: string; width: number; height: number }[];
}

// Multipart values are strings; these parameters are JSON (or numbers) in the Bot API.
const JSON_FIELDS = new Set(['reply_markup', 'media', 'entities', 'caption_entities', 'message_ids']);
const NUMBER_FIELDS = new Set(['chat_id', 'message_id']);

/** A request body as the Bot API reads it: JSON, or multipart with files (grammY's uploads). */
async function readBody(init: RequestInit | undefined) {
  if (typeof init?.body === 'string')
    return { payload: JSON.parse(init.body) as Record<string, unknown>, uploads: undefined };
  if (!init?.body) return { payload: {}, uploads: undefined };
  const body = new Response(init.body as ConstructorParameters<typeof Response>[0], {
    headers: init.headers,
  });
  // The web platform's own parser: the bodies are grammY's uploads in a test, not a server's traffic.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const form = await body.formData();
  const payload: Record<string, unknown> = {};
  const uploads: Record<string, Uint8Array> = {};
  for (const [name, value] of form) {
    if (typeof value !== 'string') uploads[name] = new Uint8Array(await value.arrayBuffer());
    else if (JSON_FIELDS.has(name)) payload[name] = JSON.parse(value);
    else payload[name] = NUMBER_FIELDS.has(name) ? Number(value) : value;
  }
  return { payload, uploads };
}

/**
 * A fake Bot API behind grammY's `client.fetch`: records every call (including those made from
 * inside conversations, which build their own Api from the same client options) and answers
 * like Telegram would, with increasing message ids. It keeps what each message shows (text or
 * photo), so a button press can carry the message as Telegram would, and hands out a new
 * file_id for every uploaded photo (`uploads()` counts them).
 */
export function createFakeTelegram() {
  const calls: ApiCall[] = [];
  let nextMessageId = 1000;
  let nextFileId = 1;
  const messages = new Map<string, FakeMessage>();
  const keyOf = (payload: Record<string, unknown>, messageId: unknown) =>
    `${String(payload.chat_id)}:${String(messageId)}`;
  /** Methods that should fail once with this Bot API error, e.g. to simulate "message is not modified". */
  const failures = new Map<string, { error_code: number; description: string }>();
  /** Calls whose answers wait until all of them have been made (see `holdAnswers`). */
  let held:
    | { matches: (call: ApiCall) => boolean; left: number; release: () => void; all: Promise<void> }
    | undefined;

  /** The photo a `photo` / `media` value names: a new file for an upload, else the file_id given. */
  const photoOf = (value: unknown): FakeMessage['photo'] => {
    const fileId =
      typeof value === 'string' && !value.startsWith('attach://') ? value : `photo-file-${nextFileId++}`;
    return [{ file_id: fileId, file_unique_id: `u-${fileId}`, width: 800, height: 800 }];
  };

  const result = (method: string, payload: Record<string, unknown>): unknown => {
    const chat = { id: payload.chat_id, type: 'private' };
    const stored = (messageId: unknown, shown: FakeMessage) => {
      messages.set(keyOf(payload, messageId), shown);
      return { message_id: messageId, date: 0, chat, ...shown };
    };
    const caption = (value: unknown) => (typeof value === 'string' && value !== '' ? { caption: value } : {});
    switch (method) {
      case 'sendMessage':
        return stored(++nextMessageId, { text: String(payload.text) });
      case 'sendPhoto':
        return stored(++nextMessageId, { photo: photoOf(payload.photo), ...caption(payload.caption) });
      case 'editMessageText':
        return stored(payload.message_id, { text: String(payload.text) });
      case 'editMessageMedia': {
        const media = payload.media as { media?: unknown; caption?: unknown };
        return stored(payload.message_id, { photo: photoOf(media.media), ...caption(media.caption) });
      }
      case 'editMessageCaption': {
        const before = messages.get(keyOf(payload, payload.message_id)) ?? {};
        return stored(payload.message_id, { photo: before.photo, ...caption(payload.caption) });
      }
      case 'deleteMessage':
        messages.delete(keyOf(payload, payload.message_id));
        return true;
      case 'getMe':
        return { id: 1, is_bot: true, first_name: 'Shop', username: 'shop_bot' };
      default:
        return true;
    }
  };

  /** Files users sent, by file_id: what getFile and the file server give the bot. */
  const files = new Map<string, { path: string; bytes: Uint8Array }>();
  const downloads: string[] = [];
  const handled = new AsyncLocalStorage<number>();

  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const download = /^\/file\/bot[^/]+\/(.+)$/.exec(url.pathname)?.[1];
    if (download !== undefined) {
      downloads.push(download);
      const file = [...files.values()].find((each) => each.path === download);
      return file ? new Response(new Uint8Array(file.bytes)) : new Response('Not Found', { status: 404 });
    }
    const method = url.pathname.split('/').pop() ?? '';
    const { payload, uploads } = await readBody(init);
    const update = handled.getStore();
    const call: ApiCall = {
      method,
      ...(update === undefined ? {} : { update }),
      payload,
      ...(uploads && Object.keys(uploads).length > 0 ? { uploads } : {}),
    };
    calls.push(call);
    if (held?.matches(call)) {
      const { all, release } = held;
      held.left -= 1;
      if (held.left === 0) {
        held = undefined;
        release();
      }
      await all;
    }
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      return Response.json({ ok: false, ...failure });
    }
    // As Telegram: a photo message has no text to edit (it can only be deleted and sent anew).
    if (method === 'editMessageText' && messages.get(keyOf(payload, payload.message_id))?.photo)
      return Response.json({
        ok: false,
        error_code: 400,
        description: 'Bad Request: there is no text in the message to edit',
      });
    if (method === 'getFile') {
      const file = files.get(String(payload.file_id));
      if (!file)
        return Response.json({ ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
      call.result = {
        file_id: payload.file_id,
        file_unique_id: 'u',
        file_size: file.bytes.byteLength,
        file_path: file.path,
      };
      return Response.json({ ok: true, result: call.result });
    }
    call.result = result(method, payload);
    return Response.json({ ok: true, result: call.result });
  }) as typeof globalThis.fetch;

  return {
    fetch,
    calls,
    failures,
    /**
     * Runs `handle` (the bot handling update `updateId`) and returns the calls that handling made,
     * and no other: not those of updates handled at the same time.
     */
    async handling(updateId: number, handle: () => Promise<void>): Promise<ApiCall[]> {
      const start = calls.length;
      await handled.run(updateId, handle);
      return calls.slice(start).filter((call) => call.update === updateId);
    },
    /**
     * Holds the answers to the next `count` calls that `matches` until all of them have been made
     * (or `timeoutMs` passed): several updates handled at once then all make those calls before any
     * of them can end.
     */
    holdAnswers(matches: (call: ApiCall) => boolean, count: number, timeoutMs = 10_000) {
      let release!: () => void;
      const all = new Promise<void>((resolve) => (release = resolve));
      held = { matches, left: count, release, all };
      setTimeout(release, timeoutMs).unref();
    },
    /** What message `messageId` of chat `chatId` shows now; undefined once deleted or never sent. */
    messageIn: (chatId: number, messageId: number) => messages.get(`${chatId}:${messageId}`),
    /** How many files the bot has uploaded so far. */
    uploads: () => calls.filter((call) => call.uploads).length,
    /** A file a user sends the bot: its file_id, which getFile and the file server then know. */
    addFile(bytes: Uint8Array): string {
      const fileId = `user-file-${nextFileId++}`;
      files.set(fileId, { path: `photos/${fileId}.jpg`, bytes });
      return fileId;
    },
    /** The paths the bot downloaded from the file server, in order. */
    downloads,
  };
}

export type FakeTelegram = ReturnType<typeof createFakeTelegram>;

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** One request the fake Bot API received. */
export interface BotApiCall {
  /** performance.now() at arrival. */
  at: number;
  token: string;
  method: string;
  chatId: number;
  /** The message's text, or a photo's caption ('' without one). */
  text: string;
  /** The buttons under the message, as sent (`reply_markup`). */
  replyMarkup?: unknown;
  /** sendPhoto: the photo sent (a file_id). */
  photo?: string;
  /** editMessageText, deleteMessage: the message edited or deleted. */
  messageId?: number;
  /** Every parameter sent, as sent (e.g. an invoice's title, prices and provider_token). */
  body: Record<string, unknown>;
}

/** How the fake answers one call; unscripted calls get 200. */
export type ScriptedReply =
  | { status: 200 }
  | { status: 429; retryAfter: number }
  | { status: 500 }
  | { status: 403 }
  | { status: 400; description: string };

function answer(res: ServerResponse, reply: ScriptedReply, call: BotApiCall, messageId: number) {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  switch (reply.status) {
    case 200:
      return send(200, {
        ok: true,
        result: {
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: call.chatId, type: 'private' },
          text: call.text,
        },
      });
    case 429:
      return send(429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${reply.retryAfter}`,
        parameters: { retry_after: reply.retryAfter },
      });
    case 500:
      return send(500, { ok: false, error_code: 500, description: 'Internal Server Error' });
    case 403:
      return send(403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    case 400:
      return send(400, { ok: false, error_code: 400, description: reply.description });
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

/**
 * A local stand-in for https://api.telegram.org: records every call and answers each chat's
 * calls from its script (then 200).
 */
export async function startFakeBotApi() {
  const calls: BotApiCall[] = [];
  const scripts = new Map<number, ScriptedReply[]>();
  let nextMessageId = 1;
  const server = createServer((req, res) => {
    void (async () => {
      const at = performance.now();
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      const body = await readJson(req);
      const call = {
        at,
        token: match?.[1] ?? '',
        method: match?.[2] ?? '',
        chatId: Number(body.chat_id),
        text:
          typeof body.text === 'string' ? body.text : typeof body.caption === 'string' ? body.caption : '',
        ...(body.reply_markup === undefined ? {} : { replyMarkup: body.reply_markup }),
        ...(typeof body.photo === 'string' ? { photo: body.photo } : {}),
        ...(body.message_id === undefined ? {} : { messageId: Number(body.message_id) }),
        body,
      };
      calls.push(call);
      const reply = scripts.get(call.chatId)?.shift() ?? { status: 200 };
      answer(res, reply, call, nextMessageId++);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    callsTo: (chatId: number) => calls.filter((call) => call.chatId === chatId),
    /** Answers the next calls for `chatId` with `replies`, in order. */
    script(chatId: number, ...replies: ScriptedReply[]) {
      scripts.set(chatId, [...(scripts.get(chatId) ?? []), ...replies]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeBotApi = Awaited<ReturnType<typeof startFakeBotApi>>;

import { testLogger } from '@shop/testkit';
import { Api } from 'grammy';
import {
  startSandbox,
  type MessageView,
  type RunningSandbox,
  type SandboxUser,
  type StartSandboxOptions,
} from '../src/index.ts';

export const TOKEN = '123456:sandbox-test';

export interface BotApiReply {
  status: number;
  body: { ok: boolean; result?: unknown; error_code?: number; description?: string };
}

/** A sandbox on a free port, a grammY Api pointed at it, and helpers for its control API. */
export async function startTestSandbox(
  options: Partial<StartSandboxOptions> = {},
): Promise<RunningSandbox & ReturnType<typeof helpers>> {
  const sandbox = await startSandbox({
    botToken: TOKEN,
    port: 0,
    hostname: '127.0.0.1',
    logger: testLogger(),
    webhookRetryDelayMs: 20,
    ...options,
  });
  return Object.assign(sandbox, helpers(sandbox.url));
}

function helpers(url: string) {
  const control = async <T>(path: string, body?: unknown, method?: string): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    api: new Api(TOKEN, { apiRoot: url }),
    /** A raw Bot API call with a JSON body, to see Telegram's exact answer. */
    botCall: async (
      method: string,
      params: Record<string, unknown> = {},
      token = TOKEN,
    ): Promise<BotApiReply> => {
      const response = await fetch(`${url}/bot${token}/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(params),
      });
      return { status: response.status, body: (await response.json()) as BotApiReply['body'] };
    },
    createUser: (input: Partial<SandboxUser> = {}) =>
      control<SandboxUser>('/sandbox/api/users', { firstName: 'Anna', ...input }),
    say: async (chatId: number, text: string) =>
      (await control<{ message: MessageView }>(`/sandbox/api/chats/${chatId}/messages`, { text })).message,
    press: async (chatId: number, messageId: number, data: string) =>
      (
        await control<{ callbackQueryId: string }>(`/sandbox/api/chats/${chatId}/callbacks`, {
          messageId,
          data,
        })
      ).callbackQueryId,
    messages: async (chatId: number) =>
      (await control<{ messages: MessageView[] }>(`/sandbox/api/chats/${chatId}/messages`)).messages,
    /** Any control route, for its status and body (refusals included). */
    request: async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    control,
  };
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/**
 * Subscribes to the sandbox's event stream and resolves once it is live (the `ready` event),
 * so nothing the test does afterwards can be missed.
 */
export async function openEvents(url: string, chatId?: number) {
  const controller = new AbortController();
  const query = chatId === undefined ? '' : `?chatId=${chatId}`;
  const response = await fetch(`${url}/sandbox/api/events${query}`, { signal: controller.signal });
  if (!response.body) throw new Error('the event stream has no body');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const received: SseEvent[] = [];
  let buffer = '';
  let waiting: (() => void) | undefined;
  const pump = async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: ?(.*)$/m.exec(block)?.[1];
        const data = /^data: ?(.*)$/m.exec(block)?.[1];
        if (event && data) received.push({ event, data: JSON.parse(data) as Record<string, unknown> });
      }
      waiting?.();
    }
  };
  void pump().catch(() => undefined);

  /** The first event of this type (after those already taken) that matches. */
  const next = async (event: string, matches: (data: Record<string, unknown>) => boolean = () => true) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const index = received.findIndex((item) => item.event === event && matches(item.data));
      const [found] = index >= 0 ? received.splice(index, 1) : [];
      if (found) return found.data;
      if (Date.now() > deadline) throw new Error(`no ${event} event; got ${JSON.stringify(received)}`);
      await new Promise<void>((resolve) => {
        waiting = resolve;
        setTimeout(resolve, 200);
      });
    }
  };
  await next('ready');
  return { next, received, close: () => controller.abort() };
}

/** One Bot API call as the bot made it. */
export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
  result?: unknown;
}

/**
 * A fake Bot API behind grammY's `client.fetch`: records every call (including those made from
 * inside conversations, which build their own Api from the same client options) and answers
 * like Telegram would, with increasing message ids.
 */
export function createFakeTelegram() {
  const calls: ApiCall[] = [];
  let nextMessageId = 1000;
  /** Methods that should fail once with this Bot API error, e.g. to simulate "message is not modified". */
  const failures = new Map<string, { error_code: number; description: string }>();

  const result = (method: string, payload: Record<string, unknown>): unknown => {
    if (method === 'sendMessage') {
      return {
        message_id: ++nextMessageId,
        date: 0,
        chat: { id: payload.chat_id, type: 'private' },
        text: payload.text,
      };
    }
    if (method === 'editMessageText') {
      return {
        message_id: payload.message_id,
        date: 0,
        chat: { id: payload.chat_id, type: 'private' },
        text: payload.text,
      };
    }
    if (method === 'getMe') return { id: 1, is_bot: true, first_name: 'Shop', username: 'shop_bot' };
    return true;
  };

  const fetch = ((input: string | URL | Request, init?: RequestInit) => {
    const method = (input instanceof Request ? input.url : String(input)).split('/').pop() ?? '';
    const payload = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    const call: ApiCall = { method, payload };
    calls.push(call);
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      return Promise.resolve(Response.json({ ok: false, ...failure }));
    }
    call.result = result(method, payload);
    return Promise.resolve(Response.json({ ok: true, result: call.result }));
  }) as typeof globalThis.fetch;

  return { fetch, calls, failures };
}

export type FakeTelegram = ReturnType<typeof createFakeTelegram>;

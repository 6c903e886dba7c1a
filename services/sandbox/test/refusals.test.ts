import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox } from './harness.ts';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

const put = async (path: string, body: unknown) => {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
};

describe('a user who blocked the bot', () => {
  it('gets nothing: sends to their chat are 403 until they unblock it', async () => {
    const { id } = await sandbox.createUser();
    expect(await put(`/sandbox/api/chats/${id}/blocked`, { blocked: true })).toEqual({
      status: 200,
      body: { blocked: true },
    });

    expect(await sandbox.botCall('sendMessage', { chat_id: id, text: 'Sale!' })).toEqual({
      status: 403,
      body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
    });
    expect(await sandbox.messages(id)).toEqual([]);

    await put(`/sandbox/api/chats/${id}/blocked`, { blocked: false });
    expect((await sandbox.botCall('sendMessage', { chat_id: id, text: 'Sale!' })).status).toBe(200);
    expect((await sandbox.messages(id)).map((message) => message.text)).toEqual(['Sale!']);
  });

  it('answers 404 for a user who does not exist', async () => {
    expect((await put('/sandbox/api/chats/12345/blocked', { blocked: true })).status).toBe(404);
  });
});

describe('flood control', () => {
  it("answers the next calls 429 with retry_after, as Telegram's flood control does, then lets them through", async () => {
    const { id } = await sandbox.createUser();
    expect((await put('/sandbox/api/throttle', { calls: 2, retryAfter: 3 })).status).toBe(200);

    const throttled = {
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 3',
        parameters: { retry_after: 3 },
      },
    };
    expect(await sandbox.botCall('sendMessage', { chat_id: id, text: 'one' })).toEqual(throttled);
    expect(await sandbox.botCall('sendMessage', { chat_id: id, text: 'one' })).toEqual(throttled);
    expect((await sandbox.botCall('sendMessage', { chat_id: id, text: 'one' })).status).toBe(200);
    expect((await sandbox.messages(id)).map((message) => message.text)).toEqual(['one']);
  });

  it('refuses a throttle of the wrong shape', async () => {
    expect((await put('/sandbox/api/throttle', { calls: -1 })).status).toBe(400);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, TOKEN } from './harness.ts';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
let chatId: number;
let botMessageId: number;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  chatId = (await sandbox.createUser()).id;
  botMessageId = (
    await sandbox.api.sendMessage(chatId, 'Same', {
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
    })
  ).message_id;
});
afterAll(async () => {
  await sandbox.close();
});

const failure = (status: number, description: string) => ({
  status,
  body: { ok: false, error_code: status, description },
});

describe("Bot API errors in Telegram's shape", () => {
  it('answers 401 to a token of the wrong shape and 404 to an unknown method', async () => {
    expect(await sandbox.botCall('getMe', {}, 'not-a-token')).toEqual(failure(401, 'Unauthorized'));
    expect(await sandbox.botCall('sendPigeon')).toEqual(failure(404, 'Not Found'));
  });

  it('gives getMe the bot whose id is the token number', async () => {
    expect(await sandbox.botCall('getme', {}, TOKEN)).toMatchObject({
      status: 200,
      body: {
        ok: true,
        result: { id: 123456, is_bot: true, first_name: 'Shop', username: 'shop_sandbox_bot' },
      },
    });
  });

  it.each([
    ['sendMessage to an unknown chat', 'sendMessage', () => ({ chat_id: 1, text: 'x' }), 'chat not found'],
    ['an empty text', 'sendMessage', () => ({ chat_id: chatId, text: '' }), 'message text is empty'],
    [
      'a text over 4096 characters',
      'sendMessage',
      () => ({ chat_id: chatId, text: 'x'.repeat(4097) }),
      'message is too long',
    ],
    [
      'HTML Telegram cannot parse',
      'sendMessage',
      () => ({ chat_id: chatId, text: 'Total <div>5</div>', parse_mode: 'HTML' }),
      `can't parse entities: Unsupported start tag "div" at byte offset 6`,
    ],
    [
      'an unescaped MarkdownV2 character',
      'sendMessage',
      () => ({ chat_id: chatId, text: 'Total: 5.00', parse_mode: 'MarkdownV2' }),
      "can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    ],
    [
      'callback data over 64 bytes',
      'sendMessage',
      () => ({
        chat_id: chatId,
        text: 'x',
        reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'x'.repeat(65) }]] },
      }),
      'BUTTON_DATA_INVALID',
    ],
    [
      'a reply_markup that is not JSON',
      'sendMessage',
      () => ({ chat_id: chatId, text: 'x', reply_markup: '{oops' }),
      "can't parse reply keyboard markup JSON object",
    ],
    [
      'editing a missing message',
      'editMessageText',
      () => ({ chat_id: chatId, message_id: 999, text: 'x' }),
      'message to edit not found',
    ],
    [
      'an edit that changes nothing',
      'editMessageText',
      () => ({
        chat_id: chatId,
        message_id: botMessageId,
        text: 'Same',
        reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
      }),
      'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    ],
    [
      'deleting a missing message',
      'deleteMessage',
      () => ({ chat_id: chatId, message_id: 999 }),
      'message to delete not found',
    ],
    [
      'answering an unknown callback query',
      'answerCallbackQuery',
      () => ({ callback_query_id: '123' }),
      'query is too old and response timeout expired or query ID is invalid',
    ],
    ['a photo-less sendPhoto', 'sendPhoto', () => ({ chat_id: chatId }), 'there is no photo in the request'],
    [
      'an unknown chat action',
      'sendChatAction',
      () => ({ chat_id: chatId, action: 'dancing' }),
      'wrong parameter action in request',
    ],
  ])('answers 400 to %s', async (_case, method, params, description) => {
    expect(await sandbox.botCall(method, params())).toEqual(failure(400, `Bad Request: ${description}`));
  });

  it('takes parameters from the query string and from form bodies too', async () => {
    const query = await fetch(`${sandbox.url}/bot${TOKEN}/sendMessage?chat_id=${chatId}&text=from+query`);
    expect(await query.json()).toMatchObject({ ok: true, result: { text: 'from query' } });

    const form = await fetch(`${sandbox.url}/bot${TOKEN}/sendMessage`, {
      method: 'POST',
      body: new URLSearchParams({
        chat_id: String(chatId),
        text: 'from a form',
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'B', callback_data: 'b' }]] }),
      }),
    });
    expect(await form.json()).toMatchObject({
      ok: true,
      result: {
        text: 'from a form',
        reply_markup: { inline_keyboard: [[{ text: 'B', callback_data: 'b' }]] },
      },
    });
  });
});

describe('control API errors', () => {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { error: { code: string } } };
  };

  it('answers 404 for an unknown user and 400 for empty text', async () => {
    expect(await post('/sandbox/api/chats/5/messages', { text: 'hi' })).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    expect(await post(`/sandbox/api/chats/${chatId}/messages`, { text: '  ' })).toMatchObject({
      status: 400,
      body: { error: { code: 'validation_failed' } },
    });
  });

  it('answers 404 for a button that is not on the message, and 409 for a taken user id', async () => {
    expect(
      await post(`/sandbox/api/chats/${chatId}/callbacks`, { messageId: botMessageId, data: 'nope' }),
    ).toMatchObject({ status: 404 });
    expect(await post('/sandbox/api/users', { firstName: 'Twin', id: chatId })).toMatchObject({
      status: 409,
    });
  });
});

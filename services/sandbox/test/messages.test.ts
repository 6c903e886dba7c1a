import { GrammyError } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEvents, startTestSandbox } from './harness.ts';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

const keyboard = (data: string) => ({ inline_keyboard: [[{ text: 'Buy', callback_data: data }]] });

describe('messages the bot sends, edits and deletes', () => {
  it('shows a sent message with its formatting and inline keyboard in the control API and the event stream', async () => {
    const user = await sandbox.createUser();
    const events = await openEvents(sandbox.url, user.id);
    const sent = await sandbox.api.sendMessage(user.id, '<b>Tea</b> &amp; cake', {
      parse_mode: 'HTML',
      reply_markup: keyboard('buy:1'),
    });

    expect(sent).toMatchObject({
      message_id: 1,
      from: { id: 123456, is_bot: true, first_name: 'Shop', username: 'shop_sandbox_bot' },
      chat: { id: user.id, type: 'private', first_name: 'Anna' },
      text: 'Tea & cake',
      entities: [{ type: 'bold', offset: 0, length: 3 }],
      reply_markup: keyboard('buy:1'),
    });
    const view = {
      messageId: 1,
      from: 'bot',
      text: 'Tea & cake',
      entities: [{ type: 'bold', offset: 0, length: 3 }],
      replyMarkup: keyboard('buy:1'),
      parseMode: 'HTML',
      date: sent.date,
    };
    expect(await sandbox.messages(user.id)).toEqual([view]);
    expect(await events.next('message')).toEqual({ chatId: user.id, message: view });
    events.close();
  });

  it('keeps a reply keyboard for the chat but leaves it out of the returned Message, as Telegram does', async () => {
    const user = await sandbox.createUser();
    const markup = { keyboard: [['Catalog', 'Orders']], resize_keyboard: true };
    const sent = await sandbox.api.sendMessage(user.id, 'Menu', { reply_markup: markup });
    expect(sent.reply_markup).toBeUndefined();
    const [view] = await sandbox.messages(user.id);
    expect(view?.replyMarkup).toEqual({
      keyboard: [[{ text: 'Catalog' }, { text: 'Orders' }]],
      resize_keyboard: true,
    });
  });

  it('numbers messages per chat across both sides', async () => {
    const anna = await sandbox.createUser();
    const boris = await sandbox.createUser({ firstName: 'Boris', languageCode: 'ru' });
    expect((await sandbox.say(anna.id, 'hi')).messageId).toBe(1);
    expect((await sandbox.api.sendMessage(anna.id, 'hello')).message_id).toBe(2);
    expect((await sandbox.api.sendMessage(boris.id, 'привет')).message_id).toBe(1);
  });

  it('edits text in place: the new text, edit_date, and an edited event', async () => {
    const user = await sandbox.createUser();
    const sent = await sandbox.api.sendMessage(user.id, 'Pending', { reply_markup: keyboard('x') });
    const events = await openEvents(sandbox.url, user.id);

    const edited = await sandbox.api.editMessageText(user.id, sent.message_id, 'Paid');
    expect(edited).toMatchObject({
      message_id: sent.message_id,
      text: 'Paid',
      edit_date: expect.any(Number),
    });
    // Without reply_markup an edit drops the inline keyboard, as on Telegram.
    expect(edited).not.toHaveProperty('reply_markup');
    const event = await events.next('edited');
    expect(event).toMatchObject({ chatId: user.id, message: { messageId: sent.message_id, text: 'Paid' } });
    expect((await sandbox.messages(user.id))[0]).toMatchObject({
      text: 'Paid',
      editDate: expect.any(Number),
    });
    expect((await sandbox.messages(user.id))[0]).not.toHaveProperty('replyMarkup');
    events.close();
  });

  it('refuses an edit that changes nothing', async () => {
    const user = await sandbox.createUser();
    const sent = await sandbox.api.sendMessage(user.id, 'Same', { reply_markup: keyboard('a') });
    const edit = sandbox.api.editMessageText(user.id, sent.message_id, 'Same', {
      reply_markup: keyboard('a'),
    });
    await expect(edit).rejects.toThrow(/message is not modified/);
    await expect(
      sandbox.api.editMessageReplyMarkup(user.id, sent.message_id, { reply_markup: keyboard('a') }),
    ).rejects.toThrow(/message is not modified/);

    const changed = await sandbox.api.editMessageReplyMarkup(user.id, sent.message_id, {
      reply_markup: keyboard('b'),
    });
    expect(changed).toMatchObject({ text: 'Same', reply_markup: keyboard('b') });
  });

  it("deletes the bot's messages and the user's own (a password the bot hides)", async () => {
    const user = await sandbox.createUser();
    const password = await sandbox.say(user.id, 'hunter2');
    const prompt = await sandbox.api.sendMessage(user.id, 'Saved');
    const events = await openEvents(sandbox.url, user.id);

    expect(await sandbox.api.deleteMessage(user.id, password.messageId)).toBe(true);
    expect(await events.next('deleted')).toEqual({ chatId: user.id, messageId: password.messageId });
    expect((await sandbox.messages(user.id)).map((message) => message.messageId)).toEqual([
      prompt.message_id,
    ]);
    await expect(sandbox.api.deleteMessage(user.id, password.messageId)).rejects.toThrow(
      'Bad Request: message to delete not found',
    );
    events.close();
  });

  it('shows chat actions in the event stream, only to that chat', async () => {
    const anna = await sandbox.createUser();
    const boris = await sandbox.createUser({ firstName: 'Boris' });
    const events = await openEvents(sandbox.url, anna.id);
    await sandbox.api.sendChatAction(boris.id, 'typing');
    await sandbox.api.sendChatAction(anna.id, 'upload_photo');
    expect(await events.next('chat_action')).toEqual({ chatId: anna.id, action: 'upload_photo' });
    expect(events.received.filter((event) => event.event === 'chat_action')).toEqual([]);
    events.close();
  });
});

describe('callback queries', () => {
  it('delivers a button press to the bot and records its answer, once', async () => {
    const user = await sandbox.createUser();
    const sent = await sandbox.api.sendMessage(user.id, 'Tea', { reply_markup: keyboard('buy:7') });
    const id = await sandbox.press(user.id, sent.message_id, 'buy:7');

    const [update] = await sandbox.api.getUpdates({ timeout: 0 });
    expect(update?.callback_query).toMatchObject({
      id,
      data: 'buy:7',
      from: { id: user.id, first_name: 'Anna' },
      message: { message_id: sent.message_id, text: 'Tea' },
      chat_instance: expect.any(String),
    });

    const events = await openEvents(sandbox.url, user.id);
    expect(await sandbox.api.answerCallbackQuery(id, { text: 'Added to cart' })).toBe(true);
    expect(await events.next('callback_answered')).toEqual({
      chatId: user.id,
      callbackQueryId: id,
      messageId: sent.message_id,
      text: 'Added to cart',
      showAlert: false,
    });
    const { callbacks } = await sandbox.control<{ callbacks: unknown[] }>(
      `/sandbox/api/callbacks?chatId=${user.id}`,
    );
    expect(callbacks).toEqual([
      {
        id,
        chatId: user.id,
        messageId: sent.message_id,
        data: 'buy:7',
        answered: true,
        text: 'Added to cart',
        showAlert: false,
      },
    ]);

    const again = await sandbox.api.answerCallbackQuery(id).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(GrammyError);
    expect((again as GrammyError).description).toBe(
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
    events.close();
  });
});

describe('the call log', () => {
  it('lists every Bot API call, filtered by method and chat', async () => {
    const anna = await sandbox.createUser();
    const boris = await sandbox.createUser({ firstName: 'Boris' });
    await sandbox.api.sendMessage(anna.id, 'one');
    await sandbox.api.sendMessage(boris.id, 'two');
    await sandbox.api.sendMessage(anna.id, '').catch(() => undefined);

    const { calls } = await sandbox.control<{ calls: Record<string, unknown>[] }>(
      `/sandbox/api/calls?method=sendMessage&chatId=${anna.id}`,
    );
    expect(calls).toEqual([
      expect.objectContaining({
        method: 'sendMessage',
        ok: true,
        chatId: anna.id,
      }),
      expect.objectContaining({ method: 'sendMessage', ok: false, errorCode: 400, chatId: anna.id }),
    ]);
    expect(calls[0]).toMatchObject({ params: { chat_id: anna.id, text: 'one' }, at: expect.any(Number) });
    expect(calls[1]!.seq as number).toBeGreaterThan(calls[0]!.seq as number);
  });

  it('forgets users, chats and calls on reset', async () => {
    const user = await sandbox.createUser();
    await sandbox.say(user.id, 'hi');
    await sandbox.api.getMe();
    expect((await fetch(`${sandbox.url}/sandbox/api/reset`, { method: 'POST' })).status).toBe(204);
    expect(await sandbox.control('/sandbox/api/users')).toEqual({ users: [] });
    expect(await sandbox.control('/sandbox/api/calls')).toEqual({ calls: [] });
    expect(await sandbox.api.getUpdates({ timeout: 0 })).toEqual([]);
  });
});

describe('command menus', () => {
  it("stores commands per language and shows a user the menu for their client's language", async () => {
    await sandbox.api.setMyCommands([{ command: 'start', description: 'Start' }]);
    await sandbox.api.setMyCommands([{ command: 'start', description: 'Начать' }], { language_code: 'ru' });
    expect(await sandbox.api.getMyCommands({ language_code: 'ru' })).toEqual([
      { command: 'start', description: 'Начать' },
    ]);

    const boris = await sandbox.createUser({ firstName: 'Boris', languageCode: 'ru' });
    const anna = await sandbox.createUser({ languageCode: 'de' });
    expect(await sandbox.control(`/sandbox/api/chats/${boris.id}/commands`)).toEqual({
      commands: [{ command: 'start', description: 'Начать' }],
    });
    expect(await sandbox.control(`/sandbox/api/chats/${anna.id}/commands`)).toEqual({
      commands: [{ command: 'start', description: 'Start' }],
    });
  });
});

import { eventually } from '@shop/testkit';
import { Bot } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSandbox, TOKEN } from './harness.ts';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

const CONFLICT_OTHER =
  'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';

describe('getUpdates long polling', () => {
  it('hands a user message to a grammY bot, whose reply lands in the chat', async () => {
    const user = await sandbox.createUser({ firstName: 'Anna' });
    const bot = new Bot(TOKEN, { client: { apiRoot: sandbox.url } });
    bot.on('message:text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    const polling = bot.start({ timeout: 30 });
    try {
      await eventually(() => expect(sandbox.world.updates.polling).toBe(true));
      await sandbox.say(user.id, 'hello');
      await eventually(async () =>
        expect((await sandbox.messages(user.id)).map((m) => [m.from, m.text])).toEqual([
          ['user', 'hello'],
          ['bot', 'echo: hello'],
        ]),
      );
    } finally {
      await bot.stop();
      await polling;
    }
  });

  it('holds the request open while nothing happens, and answers as soon as a message arrives', async () => {
    const user = await sandbox.createUser();
    const poll = sandbox.api.getUpdates({ timeout: 20 });
    await eventually(() => expect(sandbox.world.updates.polling).toBe(true));
    const early = await Promise.race([
      poll.then(() => 'answered'),
      new Promise((r) => setTimeout(r, 300, 'held')),
    ]);
    expect(early).toBe('held');

    await sandbox.say(user.id, '/start');
    const updates = await poll;
    expect(updates).toHaveLength(1);
    expect(updates[0]?.message).toMatchObject({
      text: '/start',
      chat: { id: user.id, type: 'private', first_name: 'Anna' },
      from: { id: user.id, is_bot: false, language_code: 'en' },
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    });
  });

  it('answers an empty list when the timeout passes without updates', async () => {
    expect(await sandbox.api.getUpdates({ timeout: 1 })).toEqual([]);
  });

  it('keeps updates until an offset confirms them', async () => {
    const user = await sandbox.createUser();
    await sandbox.say(user.id, 'one');
    await sandbox.say(user.id, 'two');

    const first = await sandbox.api.getUpdates({ timeout: 0 });
    expect(first.map((update) => update.message?.text)).toEqual(['one', 'two']);
    expect(first[1]!.update_id).toBe(first[0]!.update_id + 1);
    expect(await sandbox.api.getUpdates({ timeout: 0 })).toEqual(first);

    const limited = await sandbox.api.getUpdates({ offset: first[0]!.update_id + 1, limit: 1, timeout: 0 });
    expect(limited.map((update) => update.message?.text)).toEqual(['two']);
    expect(await sandbox.api.getUpdates({ offset: first[1]!.update_id + 1, timeout: 0 })).toEqual([]);
  });

  it('ends the earlier of two concurrent getUpdates with 409 Conflict', async () => {
    const first = sandbox.botCall('getUpdates', { timeout: 20 });
    await eventually(() => expect(sandbox.world.updates.polling).toBe(true));
    const second = await sandbox.botCall('getUpdates', { timeout: 0 });

    expect(second).toEqual({ status: 200, body: { ok: true, result: [] } });
    expect(await first).toEqual({
      status: 409,
      body: { ok: false, error_code: 409, description: CONFLICT_OTHER },
    });
  });

  it('remembers allowed_updates: a message is not even queued when only callback queries are wanted', async () => {
    const user = await sandbox.createUser();
    await sandbox.api.getUpdates({ timeout: 0, allowed_updates: ['callback_query'] });
    await sandbox.say(user.id, 'ignored');
    expect(await sandbox.api.getUpdates({ timeout: 0 })).toEqual([]);

    const sent = await sandbox.api.sendMessage(user.id, 'Pick', {
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
    });
    await sandbox.press(user.id, sent.message_id, 'a');
    const [update] = await sandbox.api.getUpdates({ timeout: 0 });
    expect(update?.callback_query).toMatchObject({ data: 'a', from: { id: user.id } });
  });

  it('shares one queue between every process using the token, as Telegram does', async () => {
    const user = await sandbox.createUser();
    await sandbox.say(user.id, 'shared');
    const other = new Bot(TOKEN, { client: { apiRoot: sandbox.url } }).api;
    const [seen] = await other.getUpdates({ timeout: 0 });
    const [again] = await sandbox.api.getUpdates({ timeout: 0 });
    expect(again).toEqual(seen);
  });
});

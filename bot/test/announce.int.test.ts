import { eventually, requestJson, uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantAdmin, revokeAdmin } from '../../services/auth/src/store/admin-grants.ts';
import { finished, linkChats, type LinkedChat } from '../../services/notification/test/announcing.ts';
import { adminAnnounceButton, announceButton } from '../src/admin/buttons.ts';
import { answerOf, buttonsOf, createChat, textsOf, type Chat } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';

let h: Harness;
let buyers: LinkedChat[];
beforeAll(async () => {
  h = await startHarness('announce', { notification: true });
  buyers = await linkChats(h.rig!, h.notification!, [{}, { languageCode: 'ru' }]);
});
afterAll(() => h.close());

/** The shop's admin in a Russian Telegram, known to the notification service by their chat. */
async function adminChat(): Promise<{ chat: Chat; userId: string }> {
  const chat = createChat(h.telegram, () => h.bot, 'ru', { userId: h.shop.adminTelegramId });
  const me = await h.deps.signIns.withToken(chat.id, (token) => h.deps.auth.me(token));
  await linkChats(h.rig!, h.notification!, [{ userId: me.id, chatId: chat.id, languageCode: 'ru' }]);
  return { chat, userId: me.id };
}

/** What a chat got from the notification service (not from the bot). */
const received = (chatId: number) => h.rig!.telegram.callsTo(chatId);

/** Announcements made (by `userId`, or by anyone), oldest first, as the notification service stores them. */
async function announcements(userId?: string) {
  const rows = await h
    .notification!.orm.em.fork()
    .execute<{ id: string }[]>(
      `select id from announcements ${userId ? 'where admin_user_id = ?' : ''} order by id`,
      userId ? [userId] : [],
    );
  return rows.map((row) => Number(row.id));
}

const sendButton = (chat: Chat) =>
  chat.lastButtons().find((b) => announceButton.parse(b.callback_data)?.action === 'send')!.callback_data;
const cancelButton = (chat: Chat) =>
  chat.lastButtons().find((b) => announceButton.parse(b.callback_data)?.action === 'cancel')!.callback_data;

describe('/announce', () => {
  it('previews the text exactly as buyers get it, sends it once on a double tap of Send, and the admin sees the count', async () => {
    const { chat, userId } = await adminChat();
    const earlier = await announcements(userId);
    expect(textsOf(await chat.send('/announce'))[0]).toMatch(/^📣 Напишите объявление/);

    const text = 'Новые чаи!\n*Скидка* 10% до воскресенья';
    const preview = await chat.send(text);
    expect(preview.map((call) => call.method)).toEqual(['sendMessage', 'sendMessage']);
    expect(preview[0]!.payload).toMatchObject({ text });
    expect(preview[0]!.payload.reply_markup).toBeUndefined();
    expect(preview[0]!.payload.parse_mode).toBeUndefined();
    expect(buttonsOf(preview[1]).map((b) => b.text)).toEqual(['📣 Отправить', '✖️ Отмена']);

    const send = sendButton(chat);
    const sent = await chat.tap(send);
    expect(textsOf(sent).at(-1)).toBe('📣 Отправляю 2 покупателям. Ход рассылки — ниже.');
    const again = await chat.tap(send);
    expect(answerOf(again)).toBe('Эта кнопка из старого сообщения и больше не работает.');

    const made = await announcements(userId);
    expect(made).toHaveLength(earlier.length + 1);
    const announcement = made.at(-1)!;
    const token = await h.auth.adminToken();
    await finished(h.notification!, token, announcement);
    for (const buyer of buyers) expect(received(buyer.chatId).map((call) => call.text)).toEqual([text]);
    await eventually(() =>
      expect(received(chat.id).at(-1)?.text).toBe(
        `✅ Рассылка №${announcement}: отправлено 2 из 2 покупателей.`,
      ),
    );
  });

  it('sends a photo with its caption by the file_id Telegram gave the bot', async () => {
    const { chat, userId } = await adminChat();
    await chat.send('/announce');
    const preview = await chat.photo('AgACAgIAAxkBAAIteapot', { caption: 'Наш новый чайник' });
    expect(preview[0]).toMatchObject({
      method: 'sendPhoto',
      payload: { photo: 'AgACAgIAAxkBAAIteapot', caption: 'Наш новый чайник' },
    });
    await chat.tap(sendButton(chat));

    const announcement = (await announcements(userId)).at(-1)!;
    await finished(h.notification!, await h.auth.adminToken(), announcement);
    for (const buyer of buyers) {
      expect(received(buyer.chatId).at(-1)).toMatchObject({
        method: 'sendPhoto',
        photo: 'AgACAgIAAxkBAAIteapot',
        text: 'Наш новый чайник',
      });
    }
  });

  it('makes one announcement when Send is pressed at once on two bot replicas', async () => {
    const { chat, userId } = await adminChat();
    const onOtherReplica = createChat(h.telegram, h.makeBot, 'ru', { userId: chat.id });
    const earlier = await announcements(userId);
    await chat.send('/announce');
    await chat.send('Twice tapped');
    const send = sendButton(chat);

    await Promise.all([chat.tap(send), onOtherReplica.tap(send)]);

    const made = await announcements(userId);
    expect(made).toHaveLength(earlier.length + 1);
    await finished(h.notification!, await h.auth.adminToken(), made.at(-1)!);
    for (const buyer of buyers) {
      expect(received(buyer.chatId).filter((call) => call.text === 'Twice tapped')).toHaveLength(1);
    }
  });

  it('sends nothing when the admin cancels', async () => {
    const { chat, userId } = await adminChat();
    const earlier = await announcements(userId);
    await chat.send('/announce');
    await chat.send('Not this one');
    const cancelled = await chat.tap(cancelButton(chat));
    expect(textsOf(cancelled).at(-1)).toBe('✖️ Рассылка отменена: ничего не отправлено.');
    expect(await announcements(userId)).toEqual(earlier);
  });
});

describe('📣 Announcement on the /admin menu', () => {
  it('starts the same announcement as /announce', async () => {
    const { chat, userId } = await adminChat();
    const earlier = await announcements(userId);
    await chat.send('/admin');
    const entry = chat.lastButtons().find((b) => b.text === '📣 Рассылка');
    expect(entry?.callback_data).toBe(adminAnnounceButton.build());

    expect(textsOf(await chat.tap(entry!.callback_data)).at(-1)).toMatch(/^📣 Напишите объявление/);
    await chat.send('From the menu');
    await chat.tap(sendButton(chat));

    const made = await announcements(userId);
    expect(made).toHaveLength(earlier.length + 1);
    await finished(h.notification!, await h.auth.adminToken(), made.at(-1)!);
    for (const buyer of buyers) expect(received(buyer.chatId).at(-1)?.text).toBe('From the menu');
  });

  it("follows auth's word at every step: a grant opens it at once, a revocation midway stops it", async () => {
    const chat = createChat(h.telegram, () => h.bot, 'en');
    const email = uniqueEmail('announcer');
    await h.deps.auth.register(email, 'a good password');
    await chat.send('/login');
    await chat.send(email);
    await chat.send('a good password');
    const before = await announcements();

    // The operator grants: the access token the bot holds was signed before, as a buyer's.
    await grantAdmin(h.auth.orm.em.fork(), email);
    await chat.send('/admin');
    expect(chat.lastButtons().map((b) => b.text)).toContain('📣 Announcement');
    const entry = adminAnnounceButton.build();
    expect(textsOf(await chat.tap(entry)).at(-1)).toMatch(/^📣 Write the announcement/);

    // Revoked while writing: the text is not previewed, and nothing is announced.
    await revokeAdmin(h.auth.orm.em.fork(), email);
    expect(textsOf(await chat.send('Free tea for everyone'))).toEqual([
      'I do not know that command. /help lists the ones I do.',
    ]);
    expect(chat.lastButtons().map((b) => b.text)).not.toContain('📣 Send');
    expect(await announcements()).toEqual(before);
  });
});

describe('someone who is not an admin', () => {
  it('gets the unknown-command reply to /announce, and a forged Send button does nothing', async () => {
    const anna = createChat(h.telegram, () => h.bot, 'en');
    const before = await announcements();

    expect(textsOf(await anna.send('/announce'))).toEqual([
      'I do not know that command. /help lists the ones I do.',
    ]);
    // A Send button forged in a message of the bot's: no announcement is going on, and none starts.
    const forged = announceButton.build({ tag: 'abcdef12', action: 'send' });
    const start = await anna.send('/start');
    const shown = (start.at(-1)!.result as { message_id: number }).message_id;
    expect(answerOf(await anna.tap(forged, shown))).toBe(
      'This button belongs to an older message and no longer works.',
    );
    expect(await announcements()).toEqual(before);
  });

  it('is refused by the notification service with a real buyer token (403), and nothing is sent', async () => {
    const buyer = await h.shop.signUp('announce');
    const before = await announcements();
    const res = await requestJson(
      h.notification!.app,
      'POST',
      '/admin/announcements',
      { text: 'Free tea' },
      {
        Authorization: `Bearer ${buyer.accessToken}`,
        'Idempotency-Key': crypto.randomUUID(),
      },
    );
    expect(res.status).toBe(403);
    expect(await announcements()).toEqual(before);
  });
});

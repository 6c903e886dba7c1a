import { uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChat, textsOf } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { button } from './support/buttons.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('register');
});
afterAll(() => h.close());

const chat = (lang: 'en' | 'ru' = 'en') => createChat(h.telegram, () => h.bot, lang);

describe('registration', () => {
  it('registers, deletes the password message, links Telegram and keeps the user signed in (English)', async () => {
    const anna = chat('en');
    const email = uniqueEmail('reg');
    expect(textsOf(await anna.send('/start'))).toEqual([expect.stringContaining('Welcome to the shop')]);
    expect(textsOf(await anna.tap(button.register))).toEqual([
      expect.stringContaining('What is your e-mail?'),
    ]);
    expect(textsOf(await anna.send(email))).toEqual([expect.stringContaining('choose a password')]);
    const calls = await anna.send('a good password');
    expect(calls.find((c) => c.method === 'deleteMessage')).toBeDefined();
    expect(textsOf(calls)).toEqual([`✅ You are signed in as ${email}.`]);
    const me = await h.deps.signIns.withToken(anna.id, (token) => h.deps.auth.me(token));
    expect(me).toMatchObject({ email, telegramId: anna.id });
    expect(textsOf(await anna.send('/start'))).toEqual([
      `👋 Welcome back, ${email}! What would you like to do?`,
    ]);
  });

  it('walks through every bad input in Russian and still registers', async () => {
    const anna = chat('ru');
    const email = uniqueEmail('ru');
    expect(textsOf(await anna.send('/register'))).toEqual([expect.stringContaining('Ваш e-mail?')]);
    expect(textsOf(await anna.send('not an email'))).toEqual([expect.stringContaining('не похоже на адрес')]);
    expect(textsOf(await anna.photo())).toEqual(['Пожалуйста, пришлите это текстом.']);
    expect(textsOf(await anna.sticker())).toEqual(['Пожалуйста, пришлите это текстом.']);
    expect(textsOf(await anna.send(email))).toEqual([expect.stringContaining('придумайте пароль')]);
    const short = await anna.send('12345');
    expect(short.map((c) => c.method)).toContain('deleteMessage');
    expect(textsOf(short)).toEqual([expect.stringContaining('слишком короткий')]);
    expect(textsOf(await anna.send('ж'.repeat(80)))).toEqual([expect.stringContaining('слишком длинный')]);
    expect(textsOf(await anna.send('хороший пароль'))).toEqual([`✅ Вы вошли как ${email}.`]);
  });

  it('keeps no password in Redis while waiting for another try', async () => {
    const anna = chat();
    await anna.send('/register');
    await anna.send(uniqueEmail());
    await anna.send('short');
    const keys = await h.redis.keys(`${h.keyPrefix}*`);
    const values = await Promise.all(keys.map((key) => h.redis.get(key)));
    expect(values.join('\n')).not.toContain('short');
    await anna.send('/cancel');
  });

  it('says the e-mail is taken and offers to log in', async () => {
    const email = uniqueEmail('taken');
    await h.deps.auth.register(email, 'a good password');
    const anna = chat();
    await anna.send('/register');
    await anna.send(email);
    const calls = await anna.send('another password');
    expect(textsOf(calls)).toEqual([`An account with ${email} already exists. Log in instead?`]);
    expect(anna.lastButtons().map((b) => b.callback_data)).toEqual([button.login]);
  });

  it('leaves the conversation on /cancel at every step', async () => {
    // The conversation is gone: plain text is a catalog search again, except right after the
    // password step, when it may be the password itself.
    const cases: [string[], string][] = [
      [[], '🔎 Found 7 for “coffee”'],
      [['x@y'], '🔎 Found 7 for “coffee”'],
      [[uniqueEmail()], '🔒 I deleted that message without searching for it'],
    ];
    for (const [steps, afterwards] of cases) {
      const anna = chat();
      await anna.send('/register');
      for (const step of steps) await anna.send(step);
      expect(textsOf(await anna.send('/cancel'))).toEqual(['Cancelled. What next?']);
      expect(textsOf(await anna.send('coffee'))[0]).toContain(afterwards);
    }
  });

  it('leaves the conversation when another command arrives, then runs it', async () => {
    const anna = chat();
    await anna.send('/register');
    const calls = await anna.send('/catalog');
    expect(textsOf(calls)).toEqual(['I stopped the registration.', '🛍 Choose a category:']);
  });
});

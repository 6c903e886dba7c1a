import { uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../src/conversations/sign-in.ts';
import { createChat, textsOf } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { button } from './support/buttons.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('login');
});
afterAll(() => h.close());

const chat = (lang: 'en' | 'ru' = 'en') => createChat(h.telegram, () => h.bot, lang);
const account = async () => {
  const email = uniqueEmail('login');
  await h.deps.auth.register(email, 'a good password');
  return email;
};

describe('login', () => {
  it('logs in after a wrong password, deleting both password messages (English)', async () => {
    const email = await account();
    const anna = chat();
    expect(textsOf(await anna.send('/login'))).toEqual([expect.stringContaining('What is your e-mail?')]);
    expect(textsOf(await anna.send(email.toUpperCase()))).toEqual([
      expect.stringContaining('Your password?'),
    ]);
    const wrong = await anna.send('not the password');
    expect(wrong.map((c) => c.method)).toEqual(['deleteMessage', 'sendMessage']);
    expect(textsOf(wrong)).toEqual([expect.stringContaining('Wrong e-mail or password')]);
    const right = await anna.send('a good password');
    expect(right.map((c) => c.method)).toEqual(['deleteMessage', 'sendMessage']);
    expect(textsOf(right)).toEqual([`✅ You are signed in as ${email}.`]);
    expect(textsOf(await anna.send('/login'))).toEqual([
      expect.stringContaining(`already signed in as ${email}`),
    ]);
  });

  it('logs in and out in Russian', async () => {
    const email = await account();
    const anna = chat('ru');
    await anna.send('/start');
    expect(textsOf(await anna.tap(button.login))).toEqual([expect.stringContaining('Входим')]);
    await anna.send(email);
    expect(textsOf(await anna.send('a good password'))).toEqual([`✅ Вы вошли как ${email}.`]);
    expect(textsOf(await anna.send('/logout'))).toEqual([
      `👋 Вы вышли из ${email}. Этот аккаунт Telegram остаётся к нему привязан: следующий заказ или /orders снова войдёт в него.`,
    ]);
    expect(await h.deps.signIns.get(anna.id)).toBeUndefined();
    // The Telegram account is still linked to the e-mail account: /orders signs in to it again.
    expect(textsOf(await anna.send('/orders'))).toEqual(['У вас пока нет заказов.']);
    expect(await h.deps.signIns.get(anna.id)).toMatchObject({ email });
  });

  it('links the chat with its Telegram language at every login, so the shop writes to the user in it', async () => {
    const email = await account();
    const languageOfAccount = async () =>
      (
        await h.auth.orm.em
          .fork()
          .execute<{ language_code: string | null }[]>('select language_code from users where email = ?', [
            email,
          ])
      )[0]?.language_code;
    const anna = chat('ru');
    await anna.send('/login');
    await anna.send(email);
    expect(textsOf(await anna.send('a good password'))).toEqual([`✅ Вы вошли как ${email}.`]);
    expect(await languageOfAccount()).toBe('ru');

    // The same Telegram user signs in again from a client now set to English.
    await anna.send('/logout');
    const from = { id: anna.id, first_name: 'Anna', language_code: 'en' };
    expect(await signIn(h.deps, from, email, 'a good password', false)).toMatchObject({
      kind: 'signed-in',
    });
    expect(await languageOfAccount()).toBe('en');
  });

  it('refuses a Telegram account that is already linked to someone else', async () => {
    const first = await account();
    const second = await account();
    const anna = chat();
    await anna.send('/login');
    await anna.send(first);
    await anna.send('a good password');
    await anna.send('/logout');
    await anna.send('/login');
    await anna.send(second);
    expect(textsOf(await anna.send('a good password'))).toEqual([
      'This Telegram account is already linked to another shop account. Please log in with that one.',
    ]);
    expect(await h.deps.signIns.get(anna.id)).toBeUndefined();
  });

  it('reports the lock with its wait after too many wrong passwords', async () => {
    const email = await account();
    const anna = chat();
    await anna.send('/login');
    await anna.send(email);
    for (let i = 0; i < 5; i++) await anna.send(`wrong ${i}`);
    expect(textsOf(await anna.send('a good password'))[0]).toMatch(
      /Too many failed attempts\. Please try again in \d+ seconds\./,
    );
  });

  it('keeps the user in the password step while locked: every message is deleted, answered with the wait and never searched for', async () => {
    const email = await account();
    const anna = chat();
    await anna.send('/login');
    await anna.send(email);
    for (let i = 0; i < 5; i++) await anna.send(`wrong ${i}`);
    expect(textsOf(await anna.send('a good password'))[0]).toMatch(/^Too many failed attempts/);

    const typed = await anna.send('MySecretPass123');
    expect(typed.map((c) => c.method)).toEqual(['deleteMessage', 'sendMessage']);
    expect(textsOf(typed)).toEqual([
      expect.stringMatching(
        /^🔒 Still locked after too many failed attempts: I deleted your message without trying it\. Please send the password again in \d+ seconds, or \/cancel\.$/,
      ),
    ]);
    expect(textsOf(await anna.send('MySecretPass123'))[0]).toMatch(/^🔒 Still locked/);
    const shown = textsOf(h.telegram.calls.filter((c) => c.payload.chat_id === anna.id));
    expect(shown.filter((text) => text.includes('MySecretPass123'))).toEqual([]);
  });

  it('never echoes text that comes right after a password step ended, however it ended', async () => {
    const email = await account();
    const guarded = [
      'deleteMessage',
      '🔒 I deleted that message without searching for it: it came right after a password step, so it may be a password. To search the catalog, send it again in a minute.',
    ];
    const afterwards = async (anna: ReturnType<typeof chat>) => {
      const calls = await anna.send('MySecretPass123');
      return [calls[0]?.method, ...textsOf(calls)];
    };

    const cancelled = chat();
    await cancelled.send('/login');
    await cancelled.send(email);
    expect(textsOf(await cancelled.send('/cancel'))).toEqual(['Cancelled. What next?']);
    expect(await afterwards(cancelled)).toEqual(guarded);

    const leftByButton = chat();
    await leftByButton.send('/start');
    await leftByButton.tap(button.login);
    await leftByButton.send(email);
    expect(textsOf(await leftByButton.tap(button.categories))).toEqual([
      'I stopped the login.',
      '🛍 Choose a category:',
    ]);
    expect(await afterwards(leftByButton)).toEqual(guarded);

    // The password sent twice: the second copy arrives after the first signed in.
    const signedIn = chat();
    await signedIn.send('/login');
    await signedIn.send(email);
    expect(textsOf(await signedIn.send('a good password'))).toEqual([`✅ You are signed in as ${email}.`]);
    expect(await afterwards(signedIn)).toEqual(guarded);
  });

  it('refreshes the access token silently, and signs in again by Telegram identity once the session is revoked', async () => {
    const email = await account();
    const anna = chat();
    await anna.send('/login');
    await anna.send(email);
    await anna.send('a good password');
    const before = await h.deps.signIns.get(anna.id);
    h.clock.offsetMs = 120_000; // past the 60 s access token lifetime
    try {
      expect(textsOf(await anna.send('/orders'))).toEqual(['You have no orders yet.']);
      const after = await h.deps.signIns.get(anna.id);
      expect(after?.refreshToken).not.toBe(before?.refreshToken);
      await h.deps.auth.logout(after!.refreshToken);
      h.clock.offsetMs = 240_000;
      expect(textsOf(await anna.send('/orders'))).toEqual(['You have no orders yet.']);
      // The same account: the e-mail account this Telegram account is linked to.
      const again = await h.deps.signIns.get(anna.id);
      expect(again).toMatchObject({ email });
      expect(again?.refreshToken).not.toBe(after?.refreshToken);
    } finally {
      h.clock.offsetMs = 0;
    }
  });

  it('continues a login on another bot replica or after a restart (state lives in Redis)', async () => {
    const email = await account();
    let current = h.bot;
    const anna = createChat(h.telegram, () => current, 'en');
    await anna.send('/login');
    current = h.makeBot();
    expect(textsOf(await anna.send(email))).toEqual([expect.stringContaining('Your password?')]);
    current = h.makeBot();
    expect(textsOf(await anna.send('a good password'))).toEqual([`✅ You are signed in as ${email}.`]);
  });
});

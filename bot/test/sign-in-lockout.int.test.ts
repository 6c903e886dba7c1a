import { uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChat, textsOf } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('signin_lockout');
});
afterAll(() => h.close());

const chat = () => createChat(h.telegram, () => h.bot, 'en');

describe('someone guessing a password through the bot', () => {
  it('cannot lock the owner out of the chat they signed in from before', async () => {
    const email = uniqueEmail('owner');
    const owner = chat();
    await owner.send('/register');
    await owner.send(email);
    await owner.send('a good password');
    await owner.send('/logout');

    const stranger = chat();
    await stranger.send('/login');
    await stranger.send(email);
    for (let i = 0; i < 5; i++) await stranger.send(`guess ${i}`);
    expect(textsOf(await stranger.send('a good password'))[0]).toMatch(/Too many failed attempts/);

    await owner.send('/login');
    await owner.send(email);
    expect(textsOf(await owner.send('a good password'))).toEqual([`✅ You are signed in as ${email}.`]);
  });
});

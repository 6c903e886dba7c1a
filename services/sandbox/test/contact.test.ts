import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEvents, startTestSandbox } from './harness.ts';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

const shareContact = (chatId: number) =>
  sandbox.control<{ message: unknown }>(`/sandbox/api/chats/${chatId}/contact`, {});

describe("sharing one's own phone number", () => {
  it("sends the bot a message with the user's own contact, as Telegram does, and shows it in the chat", async () => {
    const user = await sandbox.createUser({ firstName: 'Vera', phoneNumber: '79991234567' });
    const events = await openEvents(sandbox.url, user.id);

    const { message } = await shareContact(user.id);

    const contact = { phoneNumber: '79991234567', firstName: 'Vera', userId: user.id };
    expect(message).toMatchObject({ from: 'user', text: '', contact });
    expect(await events.next('message')).toMatchObject({ chatId: user.id, message: { contact } });
    expect((await sandbox.messages(user.id)).map((view) => view.contact)).toEqual([contact]);
    const [update] = await sandbox.api.getUpdates({ timeout: 0 });
    expect(update?.message).toMatchObject({
      from: { id: user.id, first_name: 'Vera' },
      chat: { id: user.id, type: 'private' },
      contact: { phone_number: '79991234567', first_name: 'Vera', user_id: user.id },
    });
    expect(update?.message?.text).toBeUndefined();
    events.close();
  });

  it("gives every user a phone number from Telegram's test range unless one is chosen", async () => {
    const user = await sandbox.createUser();
    expect(user.phoneNumber).toMatch(/^99966\d{5}$/);
    const { message } = await shareContact(user.id);
    expect(message).toMatchObject({ contact: { phoneNumber: user.phoneNumber, userId: user.id } });
  });

  it('refuses a phone number that is not one, and a user who does not exist', async () => {
    await expect(sandbox.createUser({ phoneNumber: 'call me' })).rejects.toThrow(/400/);
    await expect(shareContact(4_242_424_242)).rejects.toThrow(/404/);
  });
});

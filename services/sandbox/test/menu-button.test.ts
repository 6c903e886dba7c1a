import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEvents, startTestSandbox } from './harness.ts';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

const SHOP = { type: 'web_app', text: 'Shop', web_app: { url: 'https://shop.example/' } } as const;
const refused = (description: string) => ({
  status: 400,
  body: { ok: false, error_code: 400, description: `Bad Request: ${description}` },
});
const shownIn = async (chatId: number) =>
  (await sandbox.request('GET', `/sandbox/api/chats/${chatId}/menu-button`)).body;

describe('setChatMenuButton and getChatMenuButton', () => {
  it('answers the command menu before anything is set, and "default" for a chat without a choice', async () => {
    const fresh = await startTestSandbox();
    try {
      const { id } = await fresh.createUser();
      expect(await fresh.api.getChatMenuButton()).toEqual({ type: 'commands' });
      expect(await fresh.api.getChatMenuButton({ chat_id: id })).toEqual({ type: 'default' });
      expect((await fresh.request('GET', `/sandbox/api/chats/${id}/menu-button`)).body).toEqual({
        type: 'commands',
      });
    } finally {
      await fresh.close();
    }
  });

  it('sets a Web App button for every chat, which a chat shows until it gets one of its own', async () => {
    const anna = await sandbox.createUser({ firstName: 'Anna' });
    const boris = await sandbox.createUser({ firstName: 'Boris', languageCode: 'ru' });
    expect(await sandbox.api.setChatMenuButton({ menu_button: SHOP })).toBe(true);
    expect(await sandbox.api.getChatMenuButton()).toEqual(SHOP);
    expect(await shownIn(anna.id)).toEqual(SHOP);

    const russian = {
      type: 'web_app',
      text: 'Магазин',
      web_app: { url: 'https://shop.example/?lang=ru' },
    } as const;
    await sandbox.api.setChatMenuButton({ chat_id: boris.id, menu_button: russian });
    expect(await sandbox.api.getChatMenuButton({ chat_id: boris.id })).toEqual(russian);
    expect(await shownIn(boris.id)).toEqual(russian);
    expect(await shownIn(anna.id)).toEqual(SHOP);

    // "default" for a chat drops its own choice; no menu_button at all means the same.
    await sandbox.botCall('setChatMenuButton', { chat_id: boris.id });
    expect(await sandbox.api.getChatMenuButton({ chat_id: boris.id })).toEqual({ type: 'default' });
    expect(await shownIn(boris.id)).toEqual(SHOP);
    await sandbox.api.setChatMenuButton({ chat_id: anna.id, menu_button: { type: 'commands' } });
    expect(await shownIn(anna.id)).toEqual({ type: 'commands' });
  });

  it('takes http on this machine (the sandbox is local) and stores the URL as Telegram does', async () => {
    const { id } = await sandbox.createUser();
    for (const [url, stored] of [
      ['http://127.0.0.1:3006', 'http://127.0.0.1:3006/'],
      ['http://localhost:3006/products/1', 'http://localhost:3006/products/1'],
      ['https://SHOP.example/a b', 'https://shop.example/a%20b'],
    ]) {
      await sandbox.api.setChatMenuButton({
        chat_id: id,
        menu_button: { type: 'web_app', text: 'Shop', web_app: { url: url! } },
      });
      expect(await sandbox.api.getChatMenuButton({ chat_id: id })).toMatchObject({
        web_app: { url: stored },
      });
    }
  });

  it("tells the web chat when a chat's button or everyone's changes", async () => {
    const { id } = await sandbox.createUser();
    const events = await openEvents(sandbox.url, id);
    try {
      await sandbox.api.setChatMenuButton({ chat_id: id, menu_button: SHOP });
      expect(await events.next('menu_button')).toEqual({ chatId: id });
      await sandbox.api.setChatMenuButton({ menu_button: SHOP });
      expect(await events.next('menu_button')).toEqual({ chatId: null });
    } finally {
      events.close();
    }
  });

  it("forgets chats' buttons on reset and keeps the bot's own for every chat", async () => {
    const fresh = await startTestSandbox();
    try {
      const { id } = await fresh.createUser();
      await fresh.api.setChatMenuButton({ menu_button: SHOP });
      await fresh.api.setChatMenuButton({ chat_id: id, menu_button: { type: 'commands' } });
      expect((await fetch(`${fresh.url}/sandbox/api/reset`, { method: 'POST' })).status).toBe(204);
      const again = await fresh.createUser({ id });
      expect(await fresh.api.getChatMenuButton({ chat_id: again.id })).toEqual({ type: 'default' });
      expect(await fresh.api.getChatMenuButton()).toEqual(SHOP);
    } finally {
      await fresh.close();
    }
  });

  it.each([
    ['JSON that does not parse', '{"type":', "can't parse menu button JSON object"],
    ['not an object', '[1]', "can't parse menu button: MenuButton must be an Object"],
    ['no type', { text: 'Shop' }, `can't parse menu button: Can't find field "type"`],
    [
      'a type that is not a string',
      { type: 1 },
      `can't parse menu button: Field "type" must be of type String`,
    ],
    ['an unknown type', { type: 'url' }, "can't parse menu button: MenuButton has unsupported type"],
    [
      'no text',
      { type: 'web_app', web_app: { url: 'https://a.example' } },
      `can't parse menu button: Can't find field "text"`,
    ],
    ['no web_app', { type: 'web_app', text: 'Shop' }, `can't parse menu button: Can't find field "web_app"`],
    [
      'a web_app that is not an object',
      { type: 'web_app', text: 'Shop', web_app: 'https://a.example' },
      `can't parse menu button: Field "web_app" must be of type Object`,
    ],
    [
      'no URL',
      { type: 'web_app', text: 'Shop', web_app: {} },
      `can't parse menu button: Can't find field "url"`,
    ],
    ['an empty text', { ...SHOP, text: ' ' }, "menu button text can't be empty"],
    [
      'http to an IPv6 address (the web chat could not frame it)',
      { ...SHOP, web_app: { url: 'http://[::1]:3006/' } },
      "menu button Web App URL 'http://[::1]:3006/' is invalid: Only HTTPS links are allowed",
    ],
    [
      'http to another machine',
      { ...SHOP, web_app: { url: 'http://shop.example/' } },
      "menu button Web App URL 'http://shop.example/' is invalid: Only HTTPS links are allowed",
    ],
    [
      'a link that is not http(s)',
      { ...SHOP, web_app: { url: 'javascript:alert(1)' } },
      "menu button Web App URL 'javascript:alert(1)' is invalid: Wrong HTTP URL",
    ],
    [
      'no link at all',
      { ...SHOP, web_app: { url: 'shop' } },
      "menu button Web App URL 'shop' is invalid: Wrong HTTP URL",
    ],
  ])('refuses %s with Telegram’s words', async (_case, menuButton, description) => {
    expect(await sandbox.botCall('setChatMenuButton', { menu_button: menuButton })).toEqual(
      refused(description),
    );
  });

  it('refuses a chat_id that is not a user, after reading the button as Telegram does', async () => {
    expect(await sandbox.botCall('setChatMenuButton', { chat_id: -100, menu_button: SHOP })).toEqual(
      refused('invalid chat_id specified'),
    );
    expect(await sandbox.botCall('getChatMenuButton', { chat_id: 'abc' })).toEqual(
      refused('invalid chat_id specified'),
    );
    expect(await sandbox.botCall('setChatMenuButton', { chat_id: 42, menu_button: SHOP })).toEqual(
      refused('user not found'),
    );
    expect(await sandbox.botCall('setChatMenuButton', { chat_id: 42, menu_button: { type: 'x' } })).toEqual(
      refused("can't parse menu button: MenuButton has unsupported type"),
    );
  });
});

import { checkInitData, initDataKey } from '@shop/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THEMES } from '../src/mini-app/themes.ts';
import { startTestSandbox, TOKEN } from './harness.ts';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

const STORE = 'http://127.0.0.1:3006/';
const refused = (description: string) => ({
  status: 400,
  body: { ok: false, error_code: 400, description: `Bad Request: ${description}` },
});
const webAppKeyboard = (url: string) => ({
  inline_keyboard: [[{ text: 'Open in shop', web_app: { url } }], [{ text: 'Back', callback_data: 'back' }]],
});

interface Launched {
  url: string;
  launchUrl: string;
  initData: string;
  queryId: string;
  version: string;
  platform: string;
  themeParams: Record<string, string>;
}
const open = (chatId: number, body: Record<string, unknown>) =>
  sandbox.request('POST', `/sandbox/api/chats/${chatId}/web-apps`, body) as Promise<{
    status: number;
    body: Launched & Record<string, unknown>;
  }>;
const check = (initData: string, token = TOKEN) =>
  checkInitData(initData, initDataKey(token), {
    maxAgeSeconds: 3600,
    skewSeconds: 60,
    now: Math.floor(Date.now() / 1000),
  });

describe('web_app buttons in inline keyboards', () => {
  it('sends them in private chats and shows them in the chat with the URL Telegram stores', async () => {
    const { id } = await sandbox.createUser();
    for (const url of ['https://shop.example/products/7', 'http://localhost:3006/products/7', STORE]) {
      const sent = await sandbox.api.sendMessage(id, 'Green tea', { reply_markup: webAppKeyboard(url) });
      expect(sent.reply_markup?.inline_keyboard[0]).toEqual([{ text: 'Open in shop', web_app: { url } }]);
    }
    const [last] = (await sandbox.messages(id)).slice(-1);
    expect(last?.replyMarkup).toEqual(webAppKeyboard(STORE));
  });

  it.each([
    [
      'http to another machine',
      { text: 'Shop', web_app: { url: 'http://shop.example/' } },
      "inline keyboard button Web App URL 'http://shop.example/' is invalid: Only HTTPS links are allowed",
    ],
    [
      'a link that is not http(s)',
      { text: 'Shop', web_app: { url: 'tg://resolve' } },
      "inline keyboard button Web App URL 'tg://resolve' is invalid: Wrong HTTP URL",
    ],
    [
      'a web_app that is not an object',
      { text: 'Shop', web_app: 'https://shop.example' },
      `can't parse inline keyboard button: Field "web_app" must be of type Object`,
    ],
    [
      'a web_app without a URL',
      { text: 'Shop', web_app: {} },
      `can't parse inline keyboard button: Can't find field "url"`,
    ],
    [
      'a URL that is not a string',
      { text: 'Shop', web_app: { url: 7 } },
      `can't parse inline keyboard button: Field "url" must be of type String`,
    ],
  ])('refuses %s with Telegram’s words, in a message and in an edit', async (_case, button, description) => {
    const { id } = await sandbox.createUser();
    const reply_markup = { inline_keyboard: [[button]] };
    expect(await sandbox.botCall('sendMessage', { chat_id: id, text: 'Tea', reply_markup })).toEqual(
      refused(description),
    );
    const sent = await sandbox.api.sendMessage(id, 'Tea');
    expect(
      await sandbox.botCall('editMessageReplyMarkup', {
        chat_id: id,
        message_id: sent.message_id,
        reply_markup,
      }),
    ).toEqual(refused(description));
  });

  it('checks a reply keyboard’s web_app button the same way', async () => {
    const { id } = await sandbox.createUser();
    const keyboard = [[{ text: 'Shop', web_app: { url: 'http://shop.example/' } }]];
    expect(
      await sandbox.botCall('sendMessage', { chat_id: id, text: 'Tea', reply_markup: { keyboard } }),
    ).toEqual(
      refused("keyboard button Web App URL 'http://shop.example/' is invalid: Only HTTPS links are allowed"),
    );
  });
});

describe('opening a Mini App (POST /sandbox/api/chats/:chatId/web-apps)', () => {
  it('gives the Mini App initData signed with the bot token, which the shared validator accepts', async () => {
    const user = await sandbox.createUser({
      firstName: 'Анна Петрова',
      languageCode: 'ru',
      username: 'anna_p',
    });
    const sent = await sandbox.api.sendMessage(user.id, 'Tea', { reply_markup: webAppKeyboard(STORE) });

    const opened = await open(user.id, { url: STORE, messageId: sent.message_id });

    expect(opened.status).toBe(201);
    const { initData, queryId } = opened.body;
    const checked = check(initData);
    expect(checked).toEqual({
      ok: true,
      user: {
        id: user.id,
        first_name: 'Анна Петрова',
        username: 'anna_p',
        language_code: 'ru',
        allows_write_to_pm: true,
      },
      authDate: expect.any(Number),
    });
    const fields = new URLSearchParams(initData);
    expect([...fields.keys()].sort()).toEqual(['auth_date', 'hash', 'query_id', 'user']);
    expect(fields.get('query_id')).toBe(queryId);
    expect(Math.abs(Number(fields.get('auth_date')) - Date.now() / 1000)).toBeLessThan(60);
    // Another bot's token, or a changed user, does not check out.
    expect(check(initData, '654321:another-bot')).toEqual({ ok: false, reason: 'bad_hash' });
    fields.set('user', JSON.stringify({ id: 1, first_name: 'Mallory' }));
    expect(check(fields.toString())).toEqual({ ok: false, reason: 'bad_hash' });
  });

  it('puts the launch parameters in the URL’s hash, with the theme asked for', async () => {
    const { id } = await sandbox.createUser();
    const url = 'http://localhost:3006/products/7';
    const sent = await sandbox.api.sendMessage(id, 'Tea', { reply_markup: webAppKeyboard(url) });

    const { body } = await open(id, { url, messageId: sent.message_id, theme: 'dark' });

    const launchUrl = new URL(body.launchUrl);
    expect(`${launchUrl.origin}${launchUrl.pathname}`).toBe(url);
    const hash = new URLSearchParams(launchUrl.hash.slice(1));
    expect([...hash.keys()]).toEqual([
      'tgWebAppData',
      'tgWebAppVersion',
      'tgWebAppPlatform',
      'tgWebAppThemeParams',
    ]);
    expect(hash.get('tgWebAppData')).toBe(body.initData);
    expect(hash.get('tgWebAppVersion')).toBe(body.version);
    expect(hash.get('tgWebAppPlatform')).toBe('weba');
    expect(JSON.parse(hash.get('tgWebAppThemeParams')!)).toEqual(THEMES.dark);
    expect(body.themeParams).toEqual(THEMES.dark);
    expect((await open(id, { url, messageId: sent.message_id })).body.themeParams).toEqual(THEMES.light);
  });

  it('opens the menu button’s Mini App, with a new query_id each time', async () => {
    const { id } = await sandbox.createUser();
    await sandbox.api.setChatMenuButton({
      chat_id: id,
      menu_button: { type: 'web_app', text: 'Shop', web_app: { url: STORE } },
    });
    const first = await open(id, { url: STORE });
    const second = await open(id, { url: STORE });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.url).toBe(STORE);
    expect(second.body.queryId).not.toBe(first.body.queryId);
    expect(check(second.body.initData)).toMatchObject({ ok: true, user: { id } });
  });

  it('keeps a hash the Web App URL has as the path in front of the parameters', async () => {
    const { id } = await sandbox.createUser();
    const url = 'https://shop.example/#/cart';
    const sent = await sandbox.api.sendMessage(id, 'Tea', { reply_markup: webAppKeyboard(url) });
    const { body } = await open(id, { url, messageId: sent.message_id });
    const hash = new URL(body.launchUrl).hash;
    expect(hash.startsWith('#/cart?tgWebAppData=')).toBe(true);
  });

  it('opens only what a button of this chat offers: 404 otherwise', async () => {
    const { id } = await sandbox.createUser();
    const other = await sandbox.createUser();
    const sent = await sandbox.api.sendMessage(id, 'Tea', { reply_markup: webAppKeyboard(STORE) });
    const mine = await sandbox.say(id, STORE);
    await sandbox.api.setChatMenuButton({ chat_id: id, menu_button: { type: 'commands' } });
    for (const [chatId, body] of [
      [id, { url: 'https://evil.example/', messageId: sent.message_id }],
      [id, { url: STORE, messageId: mine.messageId }],
      [id, { url: STORE, messageId: 999 }],
      [id, { url: STORE }],
      [other.id, { url: STORE, messageId: sent.message_id }],
    ] as const) {
      const answer = await open(chatId, body);
      expect(answer.status, JSON.stringify(body)).toBe(404);
      expect(answer.body).toMatchObject({ error: { code: 'not_found' } });
    }
    expect((await open(id, { url: '' })).status).toBe(400);
  });

  it('serves the light and dark theme parameters the web chat switches between', async () => {
    const { status, body } = await sandbox.request('GET', '/sandbox/api/mini-app/themes');
    expect(status).toBe(200);
    expect(body).toEqual(THEMES);
    expect(Object.keys(THEMES.dark)).toEqual(
      expect.arrayContaining(['bg_color', 'text_color', 'button_color']),
    );
  });
});

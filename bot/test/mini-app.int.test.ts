/**
 * The storefront as the bot's Mini App, against the Telegram sandbox (its Bot API checks web_app
 * buttons as Telegram does) and the real services: the menu button set at start and per user in
 * their language, "Open in shop" on product cards, which the sandbox opens with initData signed
 * for that user; nothing of it without BOT_MINI_APP_URL; and a button Telegram refuses never stops
 * the bot.
 */
import { checkInitData, initDataKey, type Logger } from '@shop/shared';
import { eventually, recordingLogger } from '@shop/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../services/sandbox/src/index.ts';
import { SandboxChat, SandboxClient } from '../../test/support/sandbox.ts';
import { createBot } from '../src/bot.ts';
import { miniAppLinks, type MiniAppLinks } from '../src/mini-app.ts';
import { connectTelegram, type TelegramConnection } from '../src/telegram-connection.ts';
import { startHarness, type Harness } from './support/harness.ts';

const TOKEN = '720000:mini-app';
const STORE = 'http://127.0.0.1:3006';

let h: Harness;
let greenTea: string;
beforeAll(async () => {
  h = await startHarness('miniapp');
  const page = await h.deps.catalog.products({ q: 'Green tea', page: 1, limit: 5 }, 'en');
  greenTea = page.items[0]!.id;
});
afterAll(() => h.close());

// Each test has a sandbox of its own, and a bot whose Redis keys are its own (update ids start
// again with every sandbox).
let sandbox: RunningSandbox | undefined;
let connection: TelegramConnection | undefined;
afterEach(async () => {
  await connection?.stop();
  await sandbox?.close();
  connection = sandbox = undefined;
});

/** A bot connected to a new sandbox as main.ts connects it, with the Mini App `miniApp`. */
async function startBot(miniApp: MiniAppLinks | undefined, logger: Logger = h.deps.logger) {
  sandbox = await startSandbox({ botToken: TOKEN });
  const keyPrefix = `${h.keyPrefix}${crypto.randomUUID()}:`;
  const deps = { ...h.deps, keyPrefix, logger, ...(miniApp ? { miniApp } : {}) };
  const bot = createBot(TOKEN, deps, { client: { apiRoot: sandbox.url } });
  const telegram = connectTelegram(bot, logger, {
    apiRoot: sandbox.url,
    polling: { redis: h.redis, keyPrefix },
    miniApp,
  });
  connection = telegram;
  await eventually(() => telegram.check(), 20_000);
  return new SandboxClient(sandbox.url);
}

/** Opens a product card the way a user does: /catalog, Tea, Green tea (in English or Russian). */
async function greenTeaCard(chat: SandboxChat) {
  const [tea, greenTeaLabel] =
    chat.user.languageCode === 'ru' ? ['Чай', /^Зелёный чай/] : ['Tea', /^Green tea/];
  await chat.send('/catalog');
  await chat.press(tea);
  await chat.press(greenTeaLabel);
  return chat.newest(new RegExp(`${greenTeaLabel.source}\n`));
}

describe('the storefront as the Mini App', { timeout: 60_000 }, () => {
  it('is every chat’s menu button from the start, and each user’s in their language after /start', async () => {
    const client = await startBot(miniAppLinks(STORE));
    const home = `${STORE}/`;
    expect(sandbox!.world.menuButtons.get(undefined)).toEqual({
      type: 'web_app',
      text: 'Shop',
      web_app: { url: home },
    });
    const anna = await SandboxChat.create(client, 'Anna', 'en');
    const boris = await SandboxChat.create(client, 'Борис', 'ru');
    for (const [chat, text] of [
      [anna, 'Shop'],
      [boris, 'Магазин'],
    ] as const) {
      await chat.send('/start');
      await eventually(async () =>
        expect(sandbox!.world.menuButtons.get(chat.user.id)).toEqual({
          type: 'web_app',
          text,
          web_app: { url: home },
        }),
      );
      expect(await client.menuButton(chat.user.id)).toMatchObject({ text });
    }
  });

  it('is opened from "Open in shop" on a product card, with initData signed for that user', async () => {
    const client = await startBot(miniAppLinks(STORE));
    const anna = await SandboxChat.create(client, 'Анна', 'ru');

    const card = await greenTeaCard(anna);

    const url = `${STORE}/products/${greenTea}`;
    const buttons = card.replyMarkup?.inline_keyboard ?? [];
    expect(buttons.at(-2)).toEqual([{ text: '🌐 Открыть в магазине', web_app: { url } }]);
    const { initData, url: opened } = await anna.openWebApp('🌐 Открыть в магазине');
    expect(opened).toBe(url);
    const now = Math.floor(Date.now() / 1000);
    expect(
      checkInitData(initData, initDataKey(TOKEN), { maxAgeSeconds: 3600, skewSeconds: 60, now }),
    ).toMatchObject({
      ok: true,
      user: { id: anna.user.id, language_code: 'ru' },
    });
  });

  it('without BOT_MINI_APP_URL: the command menu, and cards without "Open in shop"', async () => {
    const client = await startBot(undefined);
    const anna = await SandboxChat.create(client, 'Anna');
    await anna.send('/start');
    await anna.waitFor(/./);

    const card = await greenTeaCard(anna);

    expect(JSON.stringify(card.replyMarkup)).not.toContain('web_app');
    expect(await client.menuButton(anna.user.id)).toEqual({ type: 'commands' });
    expect(await client.calls({ method: 'setChatMenuButton' })).toEqual([]);
  });

  it('keeps working when Telegram refuses the menu button, and says why in its log', async () => {
    const { logger, lines } = recordingLogger();
    // The config refuses http to another machine; a bot given one anyway must still serve.
    const client = await startBot(miniAppLinks('http://shop.example'), logger);
    const anna = await SandboxChat.create(client, 'Anna');

    await anna.send('/start');

    await anna.waitFor(/./);
    await eventually(async () => expect(await client.calls({ method: 'setChatMenuButton' })).toHaveLength(2));
    expect((await client.calls({ method: 'setChatMenuButton' })).map((call) => call.ok)).toEqual([
      false,
      false,
    ]);
    expect(await client.menuButton(anna.user.id)).toEqual({ type: 'commands' });
    const warnings = lines.filter((line) => line.level === 40).map((line) => line.msg);
    expect(warnings).toEqual(
      expect.arrayContaining([
        'could not set the menu button to the storefront',
        'could not set the chat menu button',
      ]),
    );
  });
});

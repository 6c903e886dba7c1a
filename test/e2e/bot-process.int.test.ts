/**
 * The bot's `main.ts` as a process against the Telegram sandbox: what it tells Telegram at start,
 * long polling, webhook mode with its secret, and a graceful stop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxChat } from '../support/sandbox.ts';
import { freePort, startShop, type Shop } from '../support/shop.ts';

let shop: Shop;
beforeAll(async () => {
  // The bot alone needs only Telegram and Redis; /help and /start answer without the services.
  shop = await startShop({ suite: 'botproc', parts: ['sandbox', 'bot'] });
}, 120_000);
afterAll(async () => {
  await shop.close();
});

const callsOf = async (method: string) => shop.sandbox.calls({ method });

describe('the bot process', { timeout: 60_000 }, () => {
  it('sets its command menu in English and Russian at start', async () => {
    const menus = await callsOf('setMyCommands');
    const byLanguage = new Map(
      menus.map((call) => [call.params.language_code ?? 'default', call.params.commands]),
    );
    expect(byLanguage.get('default')).toContainEqual({
      command: 'catalog',
      description: 'Browse the catalog',
    });
    expect(byLanguage.get('ru')).toContainEqual({ command: 'catalog', description: expect.any(String) });
    expect(JSON.stringify(byLanguage.get('ru'))).not.toEqual(JSON.stringify(byLanguage.get('default')));
  });

  it('answers by long polling, in the language of the user', async () => {
    const olga = await SandboxChat.create(shop.sandbox, 'Olga', 'ru');
    await olga.send('/help');
    await olga.waitFor(/\/catalog/);
    expect((await olga.messages()).at(-1)?.text).toMatch(/[а-яё]/i);
  });

  it('stops gracefully on SIGTERM: exits 0 and stops asking for updates', async () => {
    const [bot] = shop.instances().filter((instance) => instance.name === 'bot');
    await shop.stop('bot');
    expect(await bot!.process.exited).toEqual({ code: 0, signal: null });
    const polls = (await callsOf('getUpdates')).length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await callsOf('getUpdates')).length).toBe(polls);
  });

  it('in webhook mode registers the webhook with its secret and takes updates only with that secret', async () => {
    const secret = 'sandbox-webhook-secret-0123456789';
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/telegram/webhook`;
    await shop.start('bot', { index: 2, port, env: { BOT_WEBHOOK_URL: url, BOT_WEBHOOK_SECRET: secret } });
    expect((await callsOf('setWebhook')).at(-1)?.params).toMatchObject({ url, secret_token: secret });

    const petr = await SandboxChat.create(shop.sandbox, 'Petr');
    await petr.send('/help');
    await petr.waitFor(/\/catalog/);

    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong' },
      body: JSON.stringify({ update_id: 1, message: { text: '/help' } }),
    });
    expect(forged.status).toBe(401);
  });
});

/**
 * The bot process against a Bot API that answers getUpdates with 409 Conflict (another process
 * polls with the token, or someone set a webhook): it must keep running and poll again.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, testKeyPrefix } from '@shop/testkit';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { partSpec, spawnPart, stopPart, type PartProcess } from '../../scripts/lib/processes.ts';
import { freePort } from '../../test/support/shop.ts';
import { botInfo } from './support/bot-info.ts';

const CHAT = { id: 7001, type: 'private', first_name: 'Anna' } as const;
const CONFLICT = {
  ok: false,
  error_code: 409,
  description:
    'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
};

/** A fake Bot API: getUpdates answers 409 first, then one `/help` message, then nothing new. */
async function fakeTelegram() {
  const calls: { method: string; params: Record<string, unknown> }[] = [];
  let polls = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const method = req.url?.split('/').at(-1) ?? '';
      const params = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
      calls.push({ method, params });
      const answer = (payload: unknown) =>
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(payload));
      if (method === 'getMe') return answer({ ok: true, result: botInfo });
      if (method !== 'getUpdates') {
        const message = {
          message_id: calls.length,
          date: 0,
          chat: CHAT,
          text: typeof params.text === 'string' ? params.text : '',
        };
        return answer({ ok: true, result: method === 'sendMessage' ? message : true });
      }
      polls++;
      if (polls === 1)
        return res.writeHead(409, { 'Content-Type': 'application/json' }).end(JSON.stringify(CONFLICT));
      const updates =
        polls === 2
          ? [
              {
                update_id: 1,
                message: {
                  message_id: 1,
                  date: Math.floor(Date.now() / 1000),
                  chat: CHAT,
                  from: { id: CHAT.id, is_bot: false, first_name: 'Anna', language_code: 'en' },
                  text: '/help',
                  entities: [{ type: 'bot_command', offset: 0, length: 5 }],
                },
              },
            ]
          : [];
      // A long poll that comes back empty after a moment, as Telegram's would after its timeout.
      setTimeout(() => answer({ ok: true, result: updates }), updates.length > 0 ? 0 : 200);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, calls, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let telegram: Awaited<ReturnType<typeof fakeTelegram>> | undefined;
let bot: PartProcess | undefined;
const keyPrefix = testKeyPrefix(`bot-conflict:${crypto.randomUUID()}`);
afterAll(async () => {
  if (bot) await stopPart(bot);
  telegram?.server.close();
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const keys = await redis.keys(`${keyPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

it('keeps running when Telegram answers getUpdates with 409, says why, and polls again after a pause', async () => {
  telegram = await fakeTelegram();
  const lines: string[] = [];
  const unreachable = `http://127.0.0.1:${await freePort()}`;
  bot = spawnPart(partSpec('bot'), {
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      BOT_PORT: String(await freePort()),
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_BOT_TOKEN: '123456:conflict-test',
      BOT_SERVICE_TOKEN: crypto.randomUUID(),
      BOT_REDIS_PREFIX: keyPrefix,
      AUTH_URL: unreachable,
      CATALOG_URL: unreachable,
      ORDER_URL: unreachable,
      PAYMENT_URL: unreachable,
      NOTIFICATION_URL: unreachable,
    },
    onLine: (line) => lines.push(line),
  });

  // The update that comes after the refusal is answered: polling really resumed.
  await eventually(() => {
    expect(bot!.child.exitCode, lines.join('\n')).toBeNull();
    expect(telegram!.calls.find((call) => call.method === 'sendMessage')?.params).toMatchObject({
      chat_id: CHAT.id,
    });
  }, 15_000);
  expect(telegram.calls.filter((call) => call.method === 'getUpdates').length).toBeGreaterThanOrEqual(2);
  const warning = lines
    .map((line) => JSON.parse(line) as { msg?: string })
    // Not just "409": the line saying where the bot listens can have it in its port number.
    .find((line) => line.msg?.includes('409 Conflict'));
  expect(warning?.msg).toMatch(
    /^Telegram stopped long polling \(409 Conflict: terminated by other getUpdates request.*another bot process polls with this token, or a webhook is set\); polling again soon$/,
  );
  expect(bot.child.exitCode).toBeNull();
});

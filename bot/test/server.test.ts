import { describe, expect, it } from 'vitest';
import { testLogger } from '@shop/testkit';
import { Redis } from 'ioredis';
import { createBot } from '../src/bot.ts';
import { botConfigSchema } from '../src/config.ts';
import type { Dependencies } from '../src/context.ts';
import { createBotServer } from '../src/server.ts';
import { loadConfig, ConfigError } from '@shop/shared';
import { botInfo } from './support/bot-info.ts';

const secret = 'a-webhook-secret-of-32-characters';
const secrets = { TELEGRAM_BOT_TOKEN: '123456:test', BOT_SERVICE_TOKEN: crypto.randomUUID() };
// Never connects: these tests only check the HTTP edge.
const deps = {
  logger: testLogger(),
  keyPrefix: 'x:',
  redis: new Redis({ lazyConnect: true }),
} as unknown as Dependencies;

function server() {
  const bot = createBot('123:test', deps, { botInfo });
  return createBotServer({
    bot,
    logger: testLogger(),
    readiness: [],
    webhook: { path: '/telegram', secret },
  });
}

describe('bot HTTP server', () => {
  it('answers /health, /ready and /metrics', async () => {
    const app = server();
    expect((await app.request('/health')).status).toBe(200);
    expect((await app.request('/ready')).status).toBe(200);
    expect(await (await app.request('/metrics')).text()).toContain('http_requests_total');
  });

  it('rejects webhook calls without the right secret token', async () => {
    const app = server();
    const update = JSON.stringify({ update_id: 1 });
    const headers = { 'Content-Type': 'application/json' };
    expect((await app.request('/telegram', { method: 'POST', body: update, headers })).status).toBe(401);
    const wrong = { ...headers, 'X-Telegram-Bot-Api-Secret-Token': 'wrong-secret-wrong-secret' };
    expect((await app.request('/telegram', { method: 'POST', body: update, headers: wrong })).status).toBe(
      401,
    );
  });
});

describe('bot config', () => {
  it('needs only its two secrets, on the contract ports', () => {
    const config = loadConfig(botConfigSchema, secrets);
    expect(config).toMatchObject({
      BOT_PORT: 3000,
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
    });
    expect(config.ORDER_URL).toBe('http://127.0.0.1:3003');
  });

  it('requires BOT_WEBHOOK_SECRET when BOT_WEBHOOK_URL is set', () => {
    expect(() =>
      loadConfig(botConfigSchema, { ...secrets, BOT_WEBHOOK_URL: 'https://shop.example/telegram' }),
    ).toThrow(ConfigError);
    expect(
      loadConfig(botConfigSchema, {
        ...secrets,
        BOT_WEBHOOK_URL: 'https://shop.example/telegram',
        BOT_WEBHOOK_SECRET: secret,
      }).BOT_WEBHOOK_SECRET,
    ).toBe(secret);
  });
});

import { createTcpProxy, testKeyPrefix, testLogger, type TcpProxy } from '@shop/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../src/bot.ts';
import { createAuthClient } from '../src/clients/auth.ts';
import { createCatalogClient } from '../src/clients/catalog.ts';
import { createNotificationClient } from '../src/clients/notification.ts';
import { createOrderClient } from '../src/clients/order.ts';
import { createPaymentClient } from '../src/clients/payment.ts';
import type { Dependencies } from '../src/context.ts';
import { createSignIns } from '../src/sign-ins.ts';
import { botInfo } from './support/bot-info.ts';
import { createChat, textsOf } from './support/chat.ts';
import { createFakeTelegram } from './support/fake-telegram.ts';

// Sessions and sign-ins live in Redis; nothing here gets as far as the services.
const nowhere = { baseUrl: 'http://127.0.0.1:9', timeoutMs: 1_000 };
let proxy: TcpProxy;
let redis: Redis;
const telegram = createFakeTelegram();
let bot: ReturnType<typeof createBot>;

beforeAll(async () => {
  proxy = await createTcpProxy(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  // As bot/src/main.ts connects.
  redis = new Redis(proxy.url, { maxRetriesPerRequest: 2 });
  redis.on('error', () => {});
  const auth = createAuthClient({ ...nowhere, serviceToken: 'unused' });
  const keyPrefix = testKeyPrefix('bot-redis-outage');
  const deps: Dependencies = {
    auth,
    catalog: createCatalogClient(nowhere),
    orders: createOrderClient(nowhere),
    payments: createPaymentClient({ ...nowhere, serviceToken: 'unused' }),
    notification: createNotificationClient(nowhere),
    signIns: createSignIns({ redis, prefix: keyPrefix, auth }),
    redis,
    keyPrefix,
    logger: testLogger(),
  };
  bot = createBot('123:test', deps, {
    botInfo,
    client: { fetch: telegram.fetch, apiRoot: 'http://telegram.test' },
  });
});
afterAll(async () => {
  redis.disconnect();
  await proxy.stop();
});

describe('the bot while Redis is down', () => {
  it("asks the user to try again in the user's language, and answers normally once Redis is back", async () => {
    const anna = createChat(telegram, () => bot, 'en');
    const olga = createChat(telegram, () => bot, 'ru');
    await proxy.stop();

    expect(textsOf(await anna.send('/start'))).toEqual([
      '😕 Something went wrong on our side. Please try again.',
    ]);
    expect(textsOf(await olga.send('/start'))).toEqual(['😕 У нас что-то пошло не так. Попробуйте ещё раз.']);

    await proxy.start();
    await redis.ping();
    expect(textsOf(await olga.send('/start'))[0]).toMatch(/^👋 /);
  });
});

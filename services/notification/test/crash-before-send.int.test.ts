/**
 * Notification as a real process, killed with kill -9 while a claimed message waits for its turn
 * at the rate limiter: a message that never left must be sent after the restart, once.
 */
import { randomInt } from 'node:crypto';
import { eventually, testDatabasePrefix, testServerUrls } from '@shop/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxChat } from '../../../test/support/sandbox.ts';
import { startShop, type Shop } from '../../../test/support/shop.ts';

const SUITE = 'notekill';
let shop: Shop;
let redis: Redis;
beforeAll(async () => {
  shop = await startShop({ suite: SUITE, parts: ['sandbox', 'notification'] });
  redis = new Redis(testServerUrls().REDIS_URL);
}, 120_000);
afterAll(async () => {
  redis.disconnect();
  await shop.close();
});

/** The key of the pause every replica's next turn waits for (a 429's `retry_after`), for this shop's bot. */
const pauseKey = () =>
  `${testDatabasePrefix(SUITE)}:notification:telegram-pace:${shop.botToken.split(':')[0]}:paused-until`;

/** Holds every send back for a minute, as a 429 told to another replica would. */
async function pauseSends() {
  const [seconds, micros] = await redis.time();
  const until = Number(seconds) * 1_000 + Math.floor(Number(micros) / 1_000) + 60_000;
  await redis.set(pauseKey(), String(until), 'PX', 60_000);
}

/** A linked chat with an order, and the paid order's notification owed to it (`pending`). */
async function owePaidMessage(chat: SandboxChat) {
  const userId = crypto.randomUUID();
  const orderId = randomInt(1, 2 ** 40);
  const eventId = crypto.randomUUID();
  await shop.query(
    'notification',
    `insert into recipients (user_id, telegram_id, language_code, linked_at) values ($1, $2, 'en', now())
     on conflict (user_id) do nothing`,
    [userId, chat.user.id],
  );
  await shop.query(
    'notification',
    `insert into order_summaries (order_id, user_id, items, total_cents, currency) values ($1, $2, $3, 1050, 'USD')`,
    [orderId, userId, JSON.stringify([{ productId: 1, name: 'Coffee', unitPriceCents: 1050, quantity: 1 }])],
  );
  await shop.query(
    'notification',
    `insert into notifications (event_id, kind, order_id, user_id) values ($1, 'order.paid', $2, $3)`,
    [eventId, orderId, userId],
  );
  return { eventId, orderId };
}

const statusOf = async (eventId: string) =>
  (
    await shop.query<{ status: string }>(
      'notification',
      'select status from notifications where event_id = $1',
      [eventId],
    )
  )[0]?.status;

/** The sender has taken the row: committed it `sending`, or holds it in a claim not committed yet. */
async function taken(eventId: string) {
  if ((await statusOf(eventId)) === 'sending') return;
  const free = await shop.query(
    'notification',
    'select 1 from notifications where event_id = $1 for update skip locked',
    [eventId],
  );
  if (free.length > 0) throw new Error('the sender has not taken the message yet');
}

const paidTexts = async (chat: SandboxChat) =>
  (await shop.sandbox.calls({ method: 'sendMessage', chatId: chat.user.id }))
    .map((call) => String(call.params.text))
    .filter((text) => /^✅ Order #\d+ is paid/.test(text));

describe('notification killed while a claimed message waits for its turn', () => {
  it('sends that message once after the restart, since it never left', { timeout: 120_000 }, async () => {
    const chat = await SandboxChat.create(shop.sandbox, 'Nina');
    await pauseSends();
    const first = await owePaidMessage(chat);
    await eventually(() => taken(first.eventId), 15_000, 50);

    await shop.kill('notification');
    await redis.del(pauseKey());
    await shop.start('notification');
    // Owed after the restart: once it is out, the first one had its chance too.
    const second = await owePaidMessage(chat);
    await eventually(async () => expect(await statusOf(second.eventId)).toBe('sent'), 30_000, 100);

    expect(await statusOf(first.eventId)).toBe('sent');
    const told = await paidTexts(chat);
    expect(told).toHaveLength(2);
    for (const { orderId } of [first, second])
      expect(told.filter((text) => text.startsWith(`✅ Order #${orderId} is paid`))).toHaveLength(1);
  });
});

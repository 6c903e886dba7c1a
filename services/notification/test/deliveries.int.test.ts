import { createOrm, loadConfig, type Orm } from '@shop/shared';
import { testDatabaseName, testLogger } from '@shop/testkit';
import { randomInt } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notificationConfigSchema } from '../src/config.ts';
import { entities } from '../src/db/entities.ts';
import { claimNext, failAbandoned, type Delivery } from '../src/store/deliveries.ts';
import { recordOutcome } from '../src/store/record-outcome.ts';
import { recordingLogger } from './harness.ts';

// No service here: the test plays the sender, claim by claim, over one database of its own.
const dbName = testDatabaseName('notification_deliveries');
let orm: Orm;

beforeAll(async () => {
  const config = loadConfig(notificationConfigSchema, process.env);
  orm = await createOrm({
    serverUrl: config.POSTGRES_URL,
    dbName,
    entities,
    migrationsPath: new URL('../src/db/migrations', import.meta.url),
    logger: testLogger(),
  });
});
afterAll(() => orm.close());
afterEach(() =>
  orm.em
    .fork()
    .execute(
      'truncate notifications, order_summaries, admin_alerts, announcement_deliveries, announcements, recipients',
      [],
      'run',
    ),
);

const sql = (query: string, params: unknown[] = []) => orm.em.fork().execute(query, params, 'all');
const logger = testLogger();
const claim = (limit: number) =>
  orm.em.fork().transactional((em) => claimNext(em, { limit, maxWaitMs: 900_000, logger }));

/** A user with a linked chat. */
async function recipient() {
  const user = { userId: crypto.randomUUID(), chatId: randomInt(1, 2 ** 40) };
  await sql(
    `insert into recipients (user_id, telegram_id, language_code, linked_at) values (?, ?, 'en', now())`,
    [user.userId, user.chatId],
  );
  return user;
}

/** One message of each kind due now, each to a chat of its own; returns their chats. */
async function oneOfEach(copies = 1) {
  const [buyer, admin] = [await recipient(), await recipient()];
  const orderId = randomInt(1, 2 ** 40);
  await sql(
    `insert into order_summaries (order_id, user_id, items, total_cents, currency) values (?, ?, ?, 500, 'USD')`,
    [
      orderId,
      buyer.userId,
      JSON.stringify([{ productId: 1, name: 'Tea', unitPriceCents: 500, quantity: 1 }]),
    ],
  );
  await sql(`insert into notifications (event_id, kind, order_id, user_id) values (?, 'order.paid', ?, ?)`, [
    crypto.randomUUID(),
    orderId,
    buyer.userId,
  ]);
  const payload = { kind: 'stock.low', productId: 7, name: 'Green tea', available: 2, threshold: 3 };
  await sql(
    `insert into admin_alerts (alert_key, chat_id, admin_user_id, kind, payload) values (?, ?, ?, 'stock.low', ?)`,
    [`stock.low:${orderId}`, admin.chatId, admin.userId, JSON.stringify(payload)],
  );
  const readers = [];
  for (let i = 0; i < copies; i++) readers.push(await recipient());
  const [announcement] = await sql(
    `insert into announcements (admin_user_id, idempotency_key, request_hash, text, total)
     values (?, ?, 'hash', 'Free tea', ?) returning id`,
    [admin.userId, crypto.randomUUID(), copies],
  );
  for (const reader of readers) {
    await sql(`insert into announcement_deliveries (announcement_id, user_id, chat_id) values (?, ?, ?)`, [
      (announcement as { id: string }).id,
      reader.userId,
      reader.chatId,
    ]);
  }
  return { buyer, admin, readers };
}

const textOf = (delivery: Delivery) => ('text' in delivery.content ? delivery.content.text : '');

describe('the one sender of news, alerts and announcements', () => {
  it("claims a buyer's news first, then an admin's alert, then announcements, each from what the limit leaves", async () => {
    const { buyer, admin, readers } = await oneOfEach(2);

    const first = await claim(1);
    expect(first.map((one) => [one.kind, one.chatId])).toEqual([['order', buyer.chatId]]);
    expect(textOf(first[0]!)).toContain('Tea');

    const next = await claim(2);
    expect(next.map((one) => one.kind)).toEqual(['alert', 'announcement']);
    expect(next[0]).toMatchObject({
      chatId: admin.chatId,
      content: { text: '📉 Low stock: Green tea, 2 left' },
    });
    expect(next[1]).toMatchObject({ content: { text: 'Free tea' } });

    const last = await claim(5);
    expect(last.map((one) => one.kind)).toEqual(['announcement']);
    expect([next[1]!.chatId, last[0]!.chatId].sort()).toEqual(readers.map((one) => one.chatId).sort());
    expect(await claim(5)).toEqual([]);
  });

  it('writes down a 403 alike for every kind: never sent again, and the chat marked unreachable', async () => {
    await oneOfEach();
    const { logger: recording, lines } = recordingLogger();
    const claimed = await claim(3);
    expect(claimed.map((one) => one.kind)).toEqual(['order', 'alert', 'announcement']);
    for (const delivery of claimed) {
      await recordOutcome(
        orm.em.fork(),
        delivery,
        { status: 'blocked', description: 'Forbidden: bot was blocked by the user' },
        recording,
      );
    }

    const statuses = await sql(
      `select 'order' as kind, status from notifications union all
       select 'alert', status from admin_alerts union all
       select 'announcement', status from announcement_deliveries order by kind`,
    );
    expect(statuses).toEqual([
      { kind: 'alert', status: 'failed' },
      { kind: 'announcement', status: 'blocked' },
      { kind: 'order', status: 'failed' },
    ]);
    const unreachable = await sql('select telegram_id from recipients where unreachable_at is not null');
    expect(unreachable.map((row) => Number((row as { telegram_id: string }).telegram_id)).sort()).toEqual(
      claimed.map((one) => one.chatId).sort(),
    );
    expect(
      lines
        .filter((line) => line.msg === 'the user blocked the bot; chat marked unreachable')
        .map((l) => l.kind),
    ).toEqual(['order', 'alert', 'announcement']);
  });

  it('fails a claim of every kind left by a sender that died mid-call, and logs each without its content', async () => {
    await oneOfEach();
    await claim(3);
    const { logger: recording, lines } = recordingLogger();

    // A lease already over: every claim made so far is one a dead process left.
    await failAbandoned(orm.em.fork(), -1, recording);

    const left = await sql(
      `select last_error from notifications union all select last_error from admin_alerts
       union all select last_error from announcement_deliveries`,
    );
    expect(left).toEqual(Array(3).fill({ last_error: 'outcome unknown: the process sending it stopped' }));
    const logged = lines.filter((line) => String(line.msg).includes('abandoned mid-send'));
    expect(logged.map((line) => line.kind)).toEqual(['order', 'alert', 'announcement']);
    expect(JSON.stringify(logged)).not.toContain('Green tea');
    expect(await claim(3)).toEqual([]);
  });
});

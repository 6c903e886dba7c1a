import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Notification } from '../src/db/entities.ts';
import { busiestWindow } from './busiest-window.ts';
import { buyer, createRig, eventually, type Rig } from './harness.ts';

let rig: Rig;
let service: Awaited<ReturnType<Rig['start']>>;

beforeAll(async () => {
  rig = await createRig('rate', { TELEGRAM_MAX_MESSAGES_PER_SECOND: '30' });
  service = await rig.start();
});
afterAll(() => rig.close());

describe('Telegram rate limit', () => {
  it('never sends more than 30 messages in any second, even with 60 due at once', async () => {
    const users = Array.from({ length: 60 }, () => buyer());
    await rig.publish(...users.flatMap((user) => [user.linked, user.order]));
    await rig.projected(users);
    const outcomes = users.map((user) => user.paid());
    await rig.publish(...outcomes);

    const chats = new Set(users.map((user) => user.chatId));
    await eventually(() => {
      const calls = rig.telegram.calls.filter((call) => chats.has(call.chatId));
      expect(calls).toHaveLength(60);
    }, 15_000);
    const times = rig.telegram.calls.filter((call) => chats.has(call.chatId)).map((call) => call.at);
    expect(busiestWindow(times, 1_000)).toBeLessThanOrEqual(30);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(59 * (1_000 / 30) - 50);
    for (const outcome of outcomes) expect((await rig.notification(outcome.id)).status).toBe('sent');
  });

  it('claims a message only when its turn has come, so a crash can lose only the one in the air', async () => {
    const users = Array.from({ length: 30 }, () => buyer());
    await rig.publish(...users.flatMap((user) => [user.linked, user.order]));
    await rig.projected(users);
    const outcomes = users.map((user) => user.paid());
    const ids = outcomes.map((outcome) => outcome.id);
    await rig.publish(...outcomes);

    // A row is `sending` from its claim until its answer is written down: with a 34 ms turn and a
    // fast fake Bot API, more than a couple at once means claims ran ahead of the rate limiter.
    let mostSending = 0;
    let sent = 0;
    while (sent < ids.length) {
      const em = service.orm.em.fork();
      mostSending = Math.max(
        mostSending,
        await em.count(Notification, { eventId: { $in: ids }, status: 'sending' }),
      );
      sent = await em.count(Notification, { eventId: { $in: ids }, status: 'sent' });
      await sleep(5);
    }
    expect(mostSending).toBeLessThanOrEqual(3);
  });
});

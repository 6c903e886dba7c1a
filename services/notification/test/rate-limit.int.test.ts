import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyer, createRig, eventually, type Rig } from './harness.ts';

let rig: Rig;

beforeAll(async () => {
  rig = await createRig('rate', { TELEGRAM_MAX_MESSAGES_PER_SECOND: '30' });
  await rig.start();
});
afterAll(() => rig.close());

/** The most calls that arrived within any window of `ms` (half-open), at the fake API. */
function busiestWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; start < sorted.length; start += 1) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + ms) end += 1;
    most = Math.max(most, end - start);
  }
  return most;
}

describe('Telegram rate limit', () => {
  it('never sends more than 30 messages in any second, even with 60 due at once', async () => {
    const users = Array.from({ length: 60 }, () => buyer());
    await rig.publish(...users.flatMap((user) => [user.linked, user.order]));
    await rig.projected(users);
    const outcomes = users.map((user) => user.succeeded());
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
});

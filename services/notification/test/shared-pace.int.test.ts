import { afterAll, describe, expect, it } from 'vitest';
import { busiestWindow } from './busiest-window.ts';
import { startFakeBotApi, type FakeBotApi } from './fake-bot-api.ts';
import { buyer, createRig, eventually, type Rig } from './harness.ts';

const PER_SECOND = 10;
const rigs: Rig[] = [];
const apis: FakeBotApi[] = [];

afterAll(async () => {
  for (const rig of rigs) await rig.close();
  for (const api of apis) await api.close();
});

/** A rig at PER_SECOND messages a second with two replicas, each talking to its own Bot API. */
async function twoReplicas(suite: string) {
  const rig = await createRig(suite, { TELEGRAM_MAX_MESSAGES_PER_SECOND: String(PER_SECOND) });
  rigs.push(rig);
  const other = await startFakeBotApi();
  apis.push(other);
  await rig.start();
  await rig.start(undefined, { TELEGRAM_API_ROOT: other.url });
  return { rig, telegrams: [rig.telegram, other] };
}

async function readyBuyers(rig: Rig, count: number) {
  const users = Array.from({ length: count }, () => buyer());
  await rig.publish(...users.flatMap((user) => [user.linked, user.order]));
  await rig.projected(users);
  return users;
}

describe("replicas share Telegram's limit per bot", () => {
  it('two replicas together send no more than the limit in any second', async () => {
    const { rig, telegrams } = await twoReplicas('pace_shared');
    const users = await readyBuyers(rig, 3 * PER_SECOND);
    await rig.publish(...users.map((user) => user.paid()));

    const calls = () => telegrams.flatMap((telegram) => telegram.calls);
    await eventually(() => expect(calls()).toHaveLength(users.length), 15_000);
    // Both replicas sent: otherwise one replica pacing itself would pass as well.
    for (const telegram of telegrams) expect(telegram.calls.length).toBeGreaterThan(0);
    const times = calls().map((call) => call.at);
    expect(busiestWindow(times, 1_000)).toBeLessThanOrEqual(PER_SECOND);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(
      (users.length - 1) * (1_000 / PER_SECOND) - 50,
    );
  });

  it("a 429's retry_after holds every replica, not only the one that was told", async () => {
    const { rig, telegrams } = await twoReplicas('pace_pause');
    const [first, ...rest] = await readyBuyers(rig, 12);
    // Whichever replica sends it first gets the 429.
    for (const telegram of telegrams) telegram.script(first!.chatId, { status: 429, retryAfter: 2 });
    await rig.publish(first!.paid());
    const toldToWait = await eventually(() => {
      const call = telegrams.flatMap((telegram) => telegram.calls)[0];
      if (!call) throw new Error('no call yet');
      return call.at;
    });
    await rig.publish(...rest.map((user) => user.paid()));

    await eventually(() => expect(telegrams.flatMap((t) => t.calls)).toHaveLength(2 + rest.length), 15_000);
    for (const telegram of telegrams) expect(telegram.calls.length).toBeGreaterThan(0);
    const later = telegrams.flatMap((telegram) => telegram.calls).filter((call) => call.at > toldToWait);
    expect(Math.min(...later.map((call) => call.at)) - toldToWait).toBeGreaterThanOrEqual(1_990);
  });
});

describe('without Redis', () => {
  it('paces in the process, keeps sending, and reports itself degraded', async () => {
    const rig = await createRig('pace_no_redis', {
      TELEGRAM_MAX_MESSAGES_PER_SECOND: String(PER_SECOND),
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    rigs.push(rig);
    const service = await rig.start();
    const users = await readyBuyers(rig, 2 * PER_SECOND);
    await rig.publish(...users.map((user) => user.paid()));

    await eventually(() => expect(rig.telegram.calls).toHaveLength(users.length), 15_000);
    expect(
      busiestWindow(
        rig.telegram.calls.map((call) => call.at),
        1_000,
      ),
    ).toBeLessThanOrEqual(PER_SECOND);
    for (const user of users) expect(rig.telegram.callsTo(user.chatId)).toHaveLength(1);

    const ready = await service.app.request('/ready');
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; checks: Record<string, string> };
    expect(body).toMatchObject({ status: 'degraded', checks: { postgres: 'ok', rabbitmq: 'ok' } });
    expect(body.checks.redis).not.toBe('ok');
  });
});

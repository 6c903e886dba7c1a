import { testLogger } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/index.ts';
import { announce, finished, linkChats } from './announcing.ts';
import { BOT_TOKEN, createRig, eventually, type Rig } from './harness.ts';

const BUYERS = 1_000;
const BLOCKED = 50;
const TEXT = 'Our winter teas are in. 10% off until Sunday.';

let sandbox: RunningSandbox;
let rig: Rig;
beforeAll(async () => {
  sandbox = await startSandbox({ botToken: BOT_TOKEN, logger: testLogger() });
  // Faster than Telegram's 30/s so the test takes seconds; bench:announce measures the real pace.
  rig = await createRig(
    'announce_sandbox',
    { TELEGRAM_MAX_MESSAGES_PER_SECOND: '200' },
    { botApiRoot: sandbox.url },
  );
});
afterAll(async () => {
  await rig.close();
  await sandbox.close();
});

/** What a chat shows from the bot, as its user sees it. */
const botMessages = (chatId: number) =>
  [...(sandbox.world.chats.get(chatId)?.messages.values() ?? [])].filter((stored) => stored.from === 'bot');

describe('an announcement to 1 000 sandbox chats', () => {
  it('reaches every buyer once through 50 blocked chats and a 429, and the admin sees it counted', async () => {
    const service = await rig.start();
    // In-process the sandbox makes a user (and their chat) with one call; over HTTP it is POST /sandbox/api/users.
    const users = Array.from({ length: BUYERS }, (_, i) =>
      sandbox.world.chats.addUser({ firstName: `Buyer ${i}`, languageCode: 'en' }),
    );
    const adminUser = sandbox.world.chats.addUser({ firstName: 'Merchant', languageCode: 'ru' });
    const buyers = await linkChats(
      rig,
      service,
      users.map((user) => ({ chatId: user.id })),
    );
    const [admin] = await linkChats(rig, service, [{ chatId: adminUser.id, languageCode: 'ru' }]);
    const blocked = new Set(users.slice(0, BLOCKED).map((user) => user.id));
    for (const chatId of blocked) sandbox.world.chats.get(chatId)!.blocked = true;
    const token = await rig.token('admin', admin!.userId);

    const res = await announce(service, token, { text: TEXT });
    expect(res.status).toBe(201);
    const { id, total } = (await res.json()) as { id: number; total: number };
    expect(total).toBe(BUYERS);
    // Flood control in the middle of it: Telegram answers one call 429, retry after 1 s.
    await eventually(
      () => expect(sandbox.world.calls.list({ method: 'sendMessage' }).length).toBeGreaterThan(300),
      20_000,
    );
    sandbox.world.throttle.set(1, 1);

    const done = await finished(service, token, id, 60_000);
    expect(done).toMatchObject({
      total: BUYERS,
      sent: BUYERS - BLOCKED,
      failed: BLOCKED,
      blocked: BLOCKED,
      left: 0,
    });
    expect(sandbox.world.calls.list().filter((call) => call.errorCode === 429)).toHaveLength(1);
    for (const buyer of buyers) {
      const texts = botMessages(buyer.chatId).map((stored) => stored.message.text);
      expect(texts, `chat ${buyer.chatId}`).toEqual(blocked.has(buyer.chatId) ? [] : [TEXT]);
    }
    const [row] = await service.orm.em
      .fork()
      .execute<{ count: string }[]>('select count(*) from recipients where unreachable_at is not null');
    expect(Number(row?.count)).toBe(BLOCKED);

    // The admin's chat: one progress message, edited as it went, and the final count.
    await eventually(() => expect(botMessages(adminUser.id)).toHaveLength(2));
    const [progress, final] = botMessages(adminUser.id).map((stored) => stored.message);
    expect(progress?.edit_date).toBeDefined();
    expect(progress?.text).toBe(
      `📣 Рассылка №${id} завершена.\nОтправлено: ${BUYERS - BLOCKED} · Не доставлено: ${BLOCKED} · Осталось: 0`,
    );
    expect(final?.text).toBe(
      `✅ Рассылка №${id}: отправлено ${BUYERS - BLOCKED} из ${BUYERS} покупателей.\nНе доставлено: ${BLOCKED} (из них заблокировали бота: ${BLOCKED}).`,
    );
  }, 120_000);
});

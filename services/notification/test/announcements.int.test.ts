import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announce, finished, linkChats } from './announcing.ts';
import { createRig, eventually, type Rig } from './harness.ts';
import type { StartedNotification } from './start.ts';

let rig: Rig;
let service: StartedNotification;
beforeAll(async () => {
  rig = await createRig('announce');
  service = await rig.start();
});
afterAll(() => rig.close());

/** An admin with a linked chat in `languageCode`, and a token of theirs. */
async function admin(languageCode = 'en') {
  const [chat] = await linkChats(rig, service, [{ languageCode }]);
  return { ...chat!, token: await rig.token('admin', chat!.userId) };
}

const sendsTo = (chatId: number) =>
  rig.telegram.callsTo(chatId).filter((call) => call.method !== 'editMessageText');

describe('who may announce', () => {
  it('refuses a buyer (403) and a request without a token (401), and sends nothing', async () => {
    const [buyer] = await linkChats(rig, service, [{}]);
    const before = rig.telegram.calls.length;

    const asBuyer = await announce(service, await rig.token('user', buyer!.userId), { text: 'Free tea!' });
    expect(asBuyer.status).toBe(403);
    expect(await asBuyer.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect((await announce(service, undefined, { text: 'Free tea!' })).status).toBe(401);
    expect((await announce(service, 'not.a.token', { text: 'Free tea!' })).status).toBe(401);
    const reading = await service.app.request('/admin/announcements/1', {
      headers: { Authorization: `Bearer ${await rig.token('user')}` },
    });
    expect(reading.status).toBe(403);

    const [row] = await service.orm.em
      .fork()
      .execute<{ count: string }[]>('select count(*) from announcements');
    expect(Number(row?.count)).toBe(0);
    expect(rig.telegram.calls.slice(before)).toEqual([]);
  });

  it('answers 400 to an announcement without a key, without text, or with a caption too long for a photo', async () => {
    const { token, userId } = await admin();
    const cases: [unknown, string | null][] = [
      [{ text: 'Hello' }, null],
      [{}, 'k1'],
      [{ text: '   ' }, 'k2'],
      [{ photoFileId: 'AgACabc', text: 'x'.repeat(1025) }, 'k3'],
      [{ text: 'x'.repeat(4097) }, 'k4'],
      [{ text: 'Hello', chatIds: [1] }, 'k5'],
      [{ photoFileId: '../../etc/passwd' }, 'k6'],
    ];
    for (const [body, key] of cases) {
      const res = await announce(service, token, body, key);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const [row] = await service.orm.em
      .fork()
      .execute<{ count: string }[]>('select count(*) from announcements where admin_user_id = ?', [userId]);
    expect(Number(row?.count)).toBe(0);
  });
});

describe('an announcement', () => {
  it('reaches every buyer with a chat once, as written, and tells the admin the final count in their language', async () => {
    const author = await admin('ru');
    const buyers = await linkChats(rig, service, [{}, { languageCode: 'ru' }, {}]);
    const [blockedEarlier] = await linkChats(rig, service, [{}]);
    await service.orm.em
      .fork()
      .execute('update recipients set unreachable_at = now() where user_id = ?', [blockedEarlier!.userId]);
    const text = 'New teas are in!\n*10%* off until Sunday <b>only</b>';

    const res = await announce(service, author.token, { text });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: number; total: number; status: string };
    expect(created).toMatchObject({ status: 'sending' });
    const done = await finished(service, author.token, created.id);

    // Every chat known to this rig's service: the buyers of earlier tests too.
    expect(done).toMatchObject({ total: created.total, sent: created.total, failed: 0, blocked: 0, left: 0 });
    for (const buyer of buyers) {
      expect(sendsTo(buyer.chatId).map((call) => [call.method, call.text])).toEqual([['sendMessage', text]]);
    }
    expect(sendsTo(blockedEarlier!.chatId)).toEqual([]);
    await eventually(() =>
      expect(sendsTo(author.chatId).at(-1)?.text).toBe(
        `✅ Рассылка №${created.id}: отправлено ${created.total} из ${created.total} покупателей.`,
      ),
    );
    expect(sendsTo(author.chatId).filter((call) => call.text === text)).toEqual([]);
  });

  it('sends a photo by its file_id with the caption', async () => {
    const author = await admin();
    const [buyer] = await linkChats(rig, service, [{}]);

    const res = await announce(service, author.token, {
      photoFileId: 'AgACAgIAAxkBAAIB',
      text: 'Our new teapot',
    });
    const { id } = (await res.json()) as { id: number };
    await finished(service, author.token, id);

    expect(sendsTo(buyer!.chatId)).toMatchObject([
      { method: 'sendPhoto', photo: 'AgACAgIAAxkBAAIB', text: 'Our new teapot' },
    ]);
  });

  it('is made once for a double tap: the same key twice at once is one announcement, another body under it 422', async () => {
    const author = await admin();
    const [buyer] = await linkChats(rig, service, [{}]);
    const key = crypto.randomUUID();

    const [first, second] = await Promise.all([
      announce(service, author.token, { text: 'Only once' }, key),
      announce(service, author.token, { text: 'Only once' }, key),
    ]);
    expect([first.status, second.status]).toEqual([201, 201]);
    const [a, b] = [(await first.json()) as { id: number }, (await second.json()) as { id: number }];
    expect(a.id).toBe(b.id);
    const other = await announce(service, author.token, { text: 'Something else' }, key);
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ error: { code: 'idempotency_key_reused' } });

    await finished(service, author.token, a.id);
    const [row] = await service.orm.em
      .fork()
      .execute<{ count: string }[]>('select count(*) from announcements where admin_user_id = ?', [
        author.userId,
      ]);
    expect(Number(row?.count)).toBe(1);
    expect(sendsTo(buyer!.chatId).map((call) => call.text)).toEqual(['Only once']);
  });

  it('does not resend a copy whose sender died mid-call: it counts as failed, outcome unknown', async () => {
    const author = await admin();
    const [sent, abandoned] = await linkChats(rig, service, [{}, {}]);
    // What a process that crashed during the Bot API call leaves behind: a claim long past its lease.
    const em = service.orm.em.fork();
    const [row] = await em.execute<{ id: string }[]>(
      `insert into announcements (admin_user_id, idempotency_key, request_hash, text, total)
       values (?, 'crashed', 'x', 'Before the crash', 2) returning id`,
      [author.userId],
    );
    const id = Number(row!.id);
    await em.execute(
      `insert into announcement_deliveries (announcement_id, user_id, chat_id, status, claimed_at) values
       (?, ?, ?, 'pending', null), (?, ?, ?, 'sending', now() - interval '1 day')`,
      [id, sent!.userId, sent!.chatId, id, abandoned!.userId, abandoned!.chatId],
    );
    // A replica starting now looks for abandoned claims at once.
    const replica = await rig.start();

    const done = await finished(replica, author.token, id);
    expect(done).toMatchObject({ total: 2, sent: 1, failed: 1, blocked: 0, left: 0 });
    expect(sendsTo(sent!.chatId).map((call) => call.text)).toEqual(['Before the crash']);
    expect(sendsTo(abandoned!.chatId)).toEqual([]);
    await rig.stop(replica);
  });
});

describe('a restart mid-announcement', () => {
  it('neither repeats nor skips a buyer', async () => {
    const restartRig = await createRig('announce_restart', { TELEGRAM_MAX_MESSAGES_PER_SECOND: '50' });
    try {
      const first = await restartRig.start();
      const buyers = await linkChats(
        restartRig,
        first,
        Array.from({ length: 150 }, () => ({})),
      );
      const author = await linkChats(restartRig, first, [{}]);
      const token = await restartRig.token('admin', author[0]!.userId);
      const res = await announce(first, token, { text: 'Winter sale' });
      const { id, total } = (await res.json()) as { id: number; total: number };
      expect(total).toBe(150);

      await eventually(() => expect(restartRig.telegram.calls.length).toBeGreaterThanOrEqual(40));
      await restartRig.stop(first);
      const sentBefore = restartRig.telegram.calls.filter((call) => call.text === 'Winter sale').length;
      expect(sentBefore).toBeLessThan(150);
      const second = await restartRig.start();

      const done = await finished(second, token, id, 30_000);
      expect(done).toMatchObject({ total: 150, sent: 150, failed: 0, left: 0 });
      for (const buyer of buyers) {
        expect(restartRig.telegram.callsTo(buyer.chatId).map((call) => call.text)).toEqual(['Winter sale']);
      }
    } finally {
      await restartRig.close();
    }
  }, 60_000);
});

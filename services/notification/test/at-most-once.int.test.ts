import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxMessage } from '@shop/shared';
import { afterSentinel, buyer, createRig, eventually, recordingLogger, type Rig } from './harness.ts';

let rig: Rig;
let first: Awaited<ReturnType<Rig['start']>>;
const replicas = [recordingLogger(), recordingLogger()];

beforeAll(async () => {
  rig = await createRig('once');
  first = await rig.start(replicas[0]!.logger);
});
afterAll(() => rig.close());

/** The ids of the events the replicas found in their inbox already: copies they handled by skipping them. */
const skippedCopies = () =>
  replicas.flatMap(({ lines }) =>
    lines.filter((line) => line.msg === 'duplicate message skipped').map((line) => line.eventId),
  );

describe('at most one message per outcome', () => {
  it('does not resend a message whose sender died mid-call: it is marked failed, outcome unknown', async () => {
    const user = buyer();
    await rig.publish(user.linked, user.order);
    await eventually(() => rig.recipient(user.userId));
    // What a process that crashed during sendMessage leaves behind: a claim long past its lease.
    const paid = user.paid();
    await first.orm.em.fork().execute(
      `insert into notifications (event_id, kind, order_id, user_id, payment_id, status, attempts, claimed_at, chat_id)
       values (?, 'order.paid', ?, ?, ?, 'sending', 1, now() - interval '1 day', ?)`,
      [paid.id, user.orderId, user.userId, null, user.chatId],
    );
    // Redelivered outcome: the inbox has never seen it, but the row exists.
    await rig.publish(paid);
    // A replica starting now looks for abandoned claims at once.
    await rig.start(replicas[1]!.logger);

    await eventually(async () => expect((await rig.notification(paid.id)).status).toBe('failed'));
    expect((await rig.notification(paid.id)).lastError).toMatch(/outcome unknown/);
    await eventually(async () =>
      expect(
        await first.orm.em
          .fork()
          .count(InboxMessage, { consumer: `${rig.names.queuePrefix}.statuses`, messageId: paid.id }),
      ).toBe(1),
    );
    await afterSentinel(rig.sentinel());
    expect(rig.telegram.callsTo(user.chatId)).toHaveLength(0);
  });

  it('two replicas send each of many outcomes exactly once', async () => {
    const users = Array.from({ length: 10 }, () => buyer());
    await rig.publish(...users.flatMap((user) => [user.linked, user.order]));
    await rig.projected(users);
    const outcomes = users.map((user) => user.paid());
    await rig.publish(...outcomes, ...outcomes);

    for (const outcome of outcomes) {
      await eventually(async () => expect((await rig.notification(outcome.id)).status).toBe('sent'));
    }
    // Every second copy reached a replica and was skipped; a message owed twice would be sent by now.
    await eventually(() =>
      expect(outcomes.filter((outcome) => !skippedCopies().includes(outcome.id))).toEqual([]),
    );
    await afterSentinel(rig.sentinel());
    for (const user of users) expect(rig.telegram.callsTo(user.chatId)).toHaveLength(1);
  });
});

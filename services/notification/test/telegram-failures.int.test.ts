import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterSentinel, buyer, createRig, eventually, recordingLogger, type Rig } from './harness.ts';

let rig: Rig;
const { logger, lines } = recordingLogger();

beforeAll(async () => {
  rig = await createRig('failures', { TELEGRAM_MAX_ATTEMPTS: '3' });
  await rig.start(logger);
});
afterAll(() => rig.close());

/** A linked buyer whose order summary is known, so only Telegram decides what happens. */
async function readyBuyer() {
  const user = buyer();
  await rig.publish(user.linked, user.order);
  await eventually(() => rig.recipient(user.userId));
  return user;
}

describe('talking to a difficult Bot API', () => {
  it('waits retry_after on 429 and then sends once', async () => {
    const user = await readyBuyer();
    rig.telegram.script(user.chatId, { status: 429, retryAfter: 1 });
    const paid = user.paid();
    await rig.publish(paid);

    expect(await rig.settled(paid.id)).toMatchObject({ status: 'sent' });
    const calls = rig.telegram.callsTo(user.chatId);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('backs off after a 500 and then sends once', async () => {
    const user = await readyBuyer();
    rig.telegram.script(user.chatId, { status: 500 });
    const paid = user.paid();
    await rig.publish(paid);

    expect(await rig.settled(paid.id)).toMatchObject({ status: 'sent' });
    expect(rig.telegram.callsTo(user.chatId)).toHaveLength(2);
  });

  it('gives up after the configured tries when Telegram keeps failing', async () => {
    const user = await readyBuyer();
    rig.telegram.script(user.chatId, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    const paid = user.paid();
    await rig.publish(paid);

    const row = await rig.settled(paid.id);
    expect(row.status).toBe('failed');
    expect(row.lastError).toContain('after 3 tries');
    await afterSentinel(rig.sentinel());
    expect(rig.telegram.callsTo(user.chatId)).toHaveLength(3);
  });

  it('marks the chat unreachable on 403, stops trying, and skips later messages until the user links again', async () => {
    const user = await readyBuyer();
    rig.telegram.script(user.chatId, { status: 403 });
    const failed = user.failed();
    await rig.publish(failed);

    expect(await rig.settled(failed.id)).toMatchObject({
      status: 'failed',
      lastError: expect.stringContaining('blocked'),
    });
    expect((await rig.recipient(user.userId)).unreachableAt).toBeInstanceOf(Date);
    expect(lines).toContainEqual(
      expect.objectContaining({
        eventId: failed.id,
        msg: 'the user blocked the bot; chat marked unreachable',
      }),
    );

    // A second order's outcome: not even tried while the chat is unreachable.
    const second = buyer({ userId: user.userId, chatId: user.chatId });
    const paid = second.paid();
    await rig.publish(second.order, paid);
    expect(await rig.settled(paid.id)).toMatchObject({
      status: 'skipped',
      lastError: 'the user blocked the bot',
    });
    await afterSentinel(rig.sentinel());
    expect(rig.telegram.callsTo(user.chatId)).toHaveLength(1);

    // Linking again (the user is back in the chat) makes it reachable: the third order is told.
    const third = buyer({ userId: user.userId, chatId: user.chatId });
    await rig.publish(third.linked);
    await eventually(async () => expect((await rig.recipient(user.userId)).unreachableAt).toBeNull());
    const paidAgain = third.paid();
    await rig.publish(third.order, paidAgain);
    expect(await rig.settled(paidAgain.id)).toMatchObject({ status: 'sent' });
    expect(rig.telegram.callsTo(user.chatId)).toHaveLength(2);
  });

  it('fails a message to a chat Telegram does not know (400), with a log line', async () => {
    const user = await readyBuyer();
    rig.telegram.script(user.chatId, { status: 400, description: 'Bad Request: chat not found' });
    const paid = user.paid();
    await rig.publish(paid);

    expect(await rig.settled(paid.id)).toMatchObject({
      status: 'failed',
      lastError: '400: Bad Request: chat not found',
    });
    expect(lines).toContainEqual(
      expect.objectContaining({ eventId: paid.id, msg: 'Telegram rejected the notification' }),
    );
    await afterSentinel(rig.sentinel());
    expect(rig.telegram.callsTo(user.chatId)).toHaveLength(1);
  });
});

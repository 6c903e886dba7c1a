import { createOrm, loadConfig, type Orm } from '@shop/shared';
import { testDatabaseName, testLogger } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationConfigSchema } from '../src/config.ts';
import { entities } from '../src/db/entities.ts';
import { buyer, createRig, eventually, type Rig } from './harness.ts';

let rig: Rig;
let orm: Orm;

beforeAll(async () => {
  rig = await createRig('housekeeping');
  // The database is ready (migrated) before any service starts: the test sets it up first.
  orm = await createOrm({
    serverUrl: loadConfig(notificationConfigSchema, process.env).POSTGRES_URL,
    dbName: testDatabaseName('notification_housekeeping'),
    entities,
    migrationsPath: new URL('../src/db/migrations', import.meta.url),
    logger: testLogger(),
  });
});
afterAll(async () => {
  await rig.close();
  await orm.close();
});

describe('the sender', () => {
  it('sends what is due and fails abandoned sends, passing by one someone holds until it is let go', async () => {
    const [abandonedId, otherId] = [crypto.randomUUID(), crypto.randomUUID()];
    for (const eventId of [abandonedId, otherId]) {
      const abandoned = buyer();
      await orm.em.fork().execute(
        `insert into notifications (event_id, kind, order_id, user_id, payment_id, status, claimed_at)
         values (?, 'order.paid', ?, ?, ?, 'sending', now() - interval '1 day')`,
        [eventId, abandoned.orderId, abandoned.userId, abandoned.refunded().data.paymentId],
      );
    }
    // Someone holds the abandoned row: recovery passes it by (and waits for nothing) until let go.
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = orm.em.fork().transactional(async (em) => {
      await em.execute('select 1 from notifications where event_id = ? for update', [abandonedId]);
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await isLocked;
    await rig.start();

    const user = buyer();
    const paid = user.paid();
    await rig.publish(user.linked, user.order);
    await rig.projected([user]);
    await rig.publish(paid);

    await eventually(async () => expect((await rig.notification(paid.id)).status).toBe('sent'));
    expect(rig.telegram.callsTo(user.chatId)).toHaveLength(1);
    await eventually(async () => expect((await rig.notification(otherId)).status).toBe('failed'));
    expect((await rig.notification(abandonedId)).status).toBe('sending');

    release();
    await holding;
    await eventually(async () => expect((await rig.notification(abandonedId)).status).toBe('failed'));
  });
});

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
  it('sends a message that is due while its recovery of abandoned sends is stuck', async () => {
    const abandoned = buyer();
    const { paymentId } = abandoned.refunded().data;
    const abandonedId = crypto.randomUUID();
    await orm.em.fork().execute(
      `insert into notifications (event_id, kind, order_id, user_id, payment_id, status, claimed_at)
       values (?, 'order.paid', ?, ?, ?, 'sending', now() - interval '1 day')`,
      [abandonedId, abandoned.orderId, abandoned.userId, paymentId],
    );
    // Someone holds the abandoned row: the recovery that runs when the service starts waits.
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
    expect((await rig.notification(abandonedId)).status).toBe('sending');

    release();
    await holding;
    await eventually(async () => expect((await rig.notification(abandonedId)).status).toBe('failed'));
  });
});

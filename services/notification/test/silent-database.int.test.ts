/**
 * Notification's connections to PostgreSQL going silent (a server, or a middlebox on the way,
 * that died without closing them): nothing may wait on them for ever. Once the database answers
 * again, abandoned sends are failed and due messages sent.
 */
import { randomInt } from 'node:crypto';
import { createOrm, type Orm } from '@shop/shared';
import { createTcpProxy, testLogger, testServerUrls, type TcpProxy } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entities } from '../src/db/entities.ts';
import { buyer, createRig, eventually, type Rig } from './harness.ts';

let rig: Rig;
let proxy: TcpProxy;
/** The rig's database, straight rather than through the proxy: what the test looks at. */
let db: Orm;

beforeAll(async () => {
  rig = await createRig('silentdb');
  db = await createOrm({
    serverUrl: testServerUrls().POSTGRES_URL,
    dbName: rig.names.dbName,
    entities,
    migrationsPath: new URL('../src/db/migrations', import.meta.url),
    logger: testLogger(),
  });
  proxy = await createTcpProxy(testServerUrls().POSTGRES_URL);
  await rig.start(undefined, { POSTGRES_URL: proxy.url, NOTIFICATION_QUERY_TIMEOUT_MS: '2000' });
});
afterAll(async () => {
  // Cut first: a pool ending a connection the proxy keeps silent would wait for its answer.
  await proxy.stop();
  await rig.close();
  await db.close();
});

const statusOf = async (eventId: string) =>
  (
    await db.em
      .fork()
      .execute<{ status: string }[]>('select status from notifications where event_id = ?', [eventId])
  )[0]?.status;

describe('the sender when its connections to PostgreSQL go silent', () => {
  it(
    'fails an abandoned send and sends what is due once the database answers again',
    { timeout: 60_000 },
    async () => {
      const early = buyer();
      await rig.publish(early.linked, early.order, early.paid());
      await eventually(() => expect(rig.telegram.callsTo(early.chatId)).toHaveLength(1));
      const late = buyer();
      await rig.publish(late.linked, late.order);
      await rig.projected([late]);

      proxy.setBlackhole(true);
      const before = proxy.swallowed();
      // The service is waiting on a silent connection.
      await eventually(() => expect(proxy.swallowed()).toBeGreaterThan(before));
      proxy.setBlackhole(false);

      const abandoned = crypto.randomUUID();
      const due = crypto.randomUUID();
      await db.em.fork().execute(
        `insert into notifications (event_id, kind, order_id, user_id, status, claimed_at)
       values (?, 'order.paid', ?, ?, 'sending', now() - interval '1 day'), (?, 'order.paid', ?, ?, 'pending', null)`,
        [abandoned, randomInt(1, 2 ** 40), early.userId, due, late.orderId, late.userId],
      );

      await eventually(async () => {
        expect(await statusOf(due)).toBe('sent');
        expect(await statusOf(abandoned)).toBe('failed');
      }, 30_000);
      expect(rig.telegram.callsTo(late.chatId)).toHaveLength(1);
      expect(rig.telegram.callsTo(early.chatId)).toHaveLength(1);
    },
  );
});

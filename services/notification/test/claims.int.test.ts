import { createEvent, createOrm, loadConfig, type Orm, type ServiceEntityManager } from '@shop/shared';
import { eventually, testDatabaseName, testLogger } from '@shop/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationConfigSchema } from '../src/config.ts';
import { entities } from '../src/db/entities.ts';
import { claimDue } from '../src/domain/claims.ts';
import { orderCreatedHandler, paymentOutcomeHandler } from '../src/domain/handlers.ts';
import { buyer } from './harness.ts';

// No service here: the test plays the sender and the order.created consumer itself, step by step.
const dbName = testDatabaseName('notification_claims');
let orm: Orm;

beforeAll(async () => {
  const config = loadConfig(notificationConfigSchema, process.env);
  orm = await createOrm({
    serverUrl: config.POSTGRES_URL,
    dbName,
    entities,
    migrationsPath: new URL('../src/db/migrations', import.meta.url),
    logger: testLogger(),
  });
});
afterAll(() => orm.close());

const logger = testLogger();
const claim = () =>
  orm.em.fork().transactional((em) => claimDue(em, { limit: 32, maxWaitMs: 900_000, logger }));

/** Resolves once a session of this database waits for a row lock. */
const someoneWaitsForALock = () =>
  eventually(async () => {
    const [row] = await orm.em
      .fork()
      .execute<{ waiting: number }[]>(
        `select count(*)::int as waiting from pg_stat_activity where datname = ? and wait_event_type = 'Lock'`,
        [dbName],
      );
    expect(row?.waiting).toBeGreaterThan(0);
  });

/** Runs `handle` in a transaction that commits only when the returned `commit` is called. */
async function heldTransaction(handle: (em: ServiceEntityManager) => Promise<void>) {
  let commit!: () => void;
  let written!: () => void;
  const ready = new Promise<void>((resolve) => (written = resolve));
  const done = orm.em.fork().transactional(async (em: ServiceEntityManager) => {
    await handle(em);
    written();
    await new Promise<void>((resolve) => (commit = resolve));
  });
  await ready;
  return async () => {
    commit();
    await done;
  };
}

describe('an outcome whose order summary arrives at the same moment', () => {
  it('is sent at once, not put off until its wait expires', async () => {
    const user = buyer();
    const paid = user.succeeded();
    const deps = { logger, wake: () => {} };
    await orm.em
      .fork()
      .execute(
        `insert into recipients (user_id, telegram_id, language_code, linked_at) values (?, ?, 'en', now())`,
        [user.userId, user.chatId],
      );
    // The order.created consumer has written the summary and looked for outcomes to make due
    // (none yet), but not committed...
    const commitSummary = await heldTransaction((em) =>
      orderCreatedHandler(deps)(em, createEvent('order.created', user.order.data)),
    );
    // ...when the payment consumer records the outcome, and the sender looks at it.
    const outcome = orm.em.fork().transactional((em) => paymentOutcomeHandler(deps)(em, paid));
    await Promise.race([outcome, someoneWaitsForALock()]);
    await claim();

    await commitSummary();
    await outcome;

    const [delivery] = await claim();
    expect(delivery).toMatchObject({ eventId: paid.id, chatId: user.chatId });
  });
});

import { createEvent, createOrm, loadConfig, type Orm, type ServiceEntityManager } from '@shop/shared';
import { eventually, testDatabaseName, testLogger } from '@shop/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notificationConfigSchema } from '../src/config.ts';
import { entities } from '../src/db/entities.ts';
import { claimDue } from '../src/store/claims.ts';
import { skipExpired } from '../src/store/expiry.ts';
import { recordOutcome } from '../src/store/record-outcome.ts';
import {
  orderCreatedBatchHandler,
  orderCreatedHandler,
  owedMessageBatchHandler,
  owedMessageHandler,
} from '../src/workers/handlers.ts';
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
// This file's database is its own: each test starts without anyone else's notifications.
afterEach(() => orm.em.fork().execute('delete from notifications', [], 'run'));

const logger = testLogger();
const claim = () =>
  orm.em.fork().transactional((em) => claimDue(em, { limit: 32, maxWaitMs: 900_000, logger }));

/** Resolves once `sessions` sessions of this database wait for a lock. */
const someoneWaitsForALock = (sessions = 1) =>
  eventually(async () => {
    const [row] = await orm.em
      .fork()
      .execute<{ waiting: number }[]>(
        `select count(*)::int as waiting from pg_stat_activity where datname = ? and wait_event_type = 'Lock'`,
        [dbName],
      );
    expect(row?.waiting).toBeGreaterThanOrEqual(sessions);
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
    const paid = user.cancelled();
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
    const outcome = orm.em.fork().transactional((em) => owedMessageHandler(deps)(em, paid));
    await Promise.race([outcome, someoneWaitsForALock()]);
    await claim();

    await commitSummary();
    await outcome;

    const [delivery] = await claim();
    expect(delivery).toMatchObject({ eventId: paid.id, chatId: user.chatId });
  });
});

describe('the cancellation of an order whose invoice is being sent at that moment', () => {
  it('waits until the invoice is out, then deletes it with the message that it expired', async () => {
    const user = buyer();
    const deps = { logger, wake: () => {} };
    await orm.em
      .fork()
      .execute(
        `insert into recipients (user_id, telegram_id, language_code, linked_at) values (?, ?, 'en', now())`,
        [user.userId, user.chatId],
      );
    const requested = user.requested('telegram');
    await orm.em.fork().transactional((em) => owedMessageHandler(deps)(em, requested));
    const claimInvoices = () =>
      orm.em.fork().transactional((em) =>
        claimDue(em, {
          limit: 32,
          maxWaitMs: 900_000,
          logger,
          invoices: { providerToken: 'provider-token' },
        }),
      );
    const [invoice] = await claimInvoices();
    expect(invoice).toMatchObject({
      eventId: requested.id,
      content: { invoice: { title: `Order #${user.orderId}` } },
    });

    // The reservation expires while the invoice's sendInvoice is in flight.
    const expired = user.cancelled('expired');
    await orm.em.fork().transactional((em) => owedMessageHandler(deps)(em, expired));
    expect(await claimInvoices()).toEqual([]);
    await recordOutcome(orm.em.fork(), invoice!, { status: 'sent', messageId: 77 }, logger);

    const [told] = await eventually(async () => {
      const claimed = await claimInvoices();
      expect(claimed).toHaveLength(1);
      return claimed;
    });
    expect(told).toMatchObject({
      eventId: expired.id,
      replaces: { chatId: user.chatId, messageId: 77 },
      content: { text: expect.stringMatching(/^⌛ The invoice for order #\d+ expired/) },
    });
  });
});

describe('an order summary', () => {
  it('wakes the sender, after its commit, only when an outcome was waiting for it', async () => {
    let wakes = 0;
    const deps = { logger, wake: () => (wakes += 1) };
    const first = buyer();
    await orm.em
      .fork()
      .transactional((em) => orderCreatedHandler(deps)(em, createEvent('order.created', first.order.data)));
    expect(wakes).toBe(0);

    const late = buyer();
    await orm.em.fork().transactional((em) => owedMessageHandler(deps)(em, late.cancelled()));
    expect(wakes).toBe(1);
    await orm.em.fork().transactional(async (em) => {
      await orderCreatedHandler(deps)(em, createEvent('order.created', late.order.data));
      expect(wakes).toBe(1);
    });
    expect(wakes).toBe(2);
  });
});

describe('a batch of order summaries and a batch of outcomes over the same orders, in opposite order', () => {
  it('both commit: neither holds a lock the other waits for', async () => {
    const deps = { logger, wake: () => {} };
    const [x, y, z] = [buyer(), buyer(), buyer()];
    // A projection of order z is in flight...
    const commitZ = await heldTransaction((em) =>
      orderCreatedHandler(deps)(em, createEvent('order.created', z.order.data)),
    );
    // ...when the summaries of x, z and y come in one batch (it gets as far as z), and the
    // outcomes of y and x in another. Locking in delivery order, the first would hold x and,
    // once z is free, wait for y, which the second holds while it waits for x: a deadlock.
    const summaries = orm.em
      .fork()
      .transactional((em) => orderCreatedBatchHandler(deps)(em, [x.order, z.order, y.order]));
    await someoneWaitsForALock();
    const outcomes = orm.em
      .fork()
      .transactional((em) => owedMessageBatchHandler(deps)(em, [y.cancelled(), x.cancelled()]));
    // Locking in delivery order, the outcomes wait for x; in hash order they may also get all
    // their locks first and commit.
    await Promise.race([outcomes, someoneWaitsForALock(2)]);
    await commitZ();

    await Promise.all([summaries, outcomes]);
    const [row] = await orm.em.fork().execute<{ summaries: number; outcomes: number }[]>(
      `select (select count(*)::int from order_summaries where order_id in (?)) as summaries,
                (select count(*)::int from notifications where order_id in (?)) as outcomes`,
      [
        [x.orderId, y.orderId, z.orderId],
        [x.orderId, y.orderId],
      ],
    );
    expect(row).toEqual({ summaries: 3, outcomes: 2 });
  });
});

describe('an order summary that commits between the claim reading a row and putting it off', () => {
  it('leaves the outcome due instead of holding it back', async () => {
    const user = buyer();
    const paid = user.cancelled();
    await orm.em
      .fork()
      .execute(
        `insert into recipients (user_id, telegram_id, language_code, linked_at) values (?, ?, 'en', now())`,
        [user.userId, user.chatId],
      );
    await orm.em
      .fork()
      .execute(
        `insert into notifications (event_id, kind, order_id, user_id, payment_id) values (?, 'order.paid', ?, ?, ?)`,
        [paid.id, user.orderId, user.userId, null],
      );
    // What the claim's read cannot see: the summary commits right after it (from elsewhere).
    const writeSummary = () =>
      orm.em
        .fork()
        .execute(
          `insert into order_summaries (order_id, user_id, items, total_cents, currency) values (?, ?, '[]', 0, 'EUR')`,
          [user.orderId, user.userId],
        );

    const claimed = await orm.em.fork().transactional(async (em) => {
      let statements = 0;
      const afterFirstRead = new Proxy(em, {
        get(target, property, receiver) {
          if (property !== 'execute') return Reflect.get(target, property, receiver) as unknown;
          return async (...args: Parameters<typeof em.execute>) => {
            if ((statements += 1) === 2) await writeSummary();
            return target.execute(...args);
          };
        },
      });
      return claimDue(afterFirstRead, { limit: 32, maxWaitMs: 900_000, logger });
    });

    expect(claimed).toEqual([]);
    const [delivery] = await claim();
    expect(delivery).toMatchObject({ eventId: paid.id, chatId: user.chatId });
  });
});

describe('claimDue with a crowd of outcomes still waiting for their data', () => {
  it('puts them all off in one claim and still hands out the sendable one behind them', async () => {
    const stranger = buyer();
    const linked = buyer();
    const em = orm.em.fork();
    await em.execute(
      `insert into recipients (user_id, telegram_id, language_code, linked_at) values (?, ?, 'en', now())`,
      [linked.userId, linked.chatId],
    );
    await em.execute(
      `insert into order_summaries (order_id, user_id, items, total_cents, currency) values (?, ?, '[]', 0, 'EUR')`,
      [linked.orderId, linked.userId],
    );
    // 100 outcomes of a buyer without a chat, due before the sendable one.
    for (let index = 0; index < 100; index += 1) {
      await em.execute(
        `insert into notifications (event_id, kind, order_id, user_id, payment_id, next_attempt_at)
         values (?, 'order.paid', ?, ?, ?, now() - interval '1 minute')`,
        [crypto.randomUUID(), 1_000_000 + index, stranger.userId, crypto.randomUUID()],
      );
    }
    const paid = linked.refunded();
    await em.execute(
      `insert into notifications (event_id, kind, order_id, user_id, payment_id) values (?, 'order.paid', ?, ?, ?)`,
      [paid.id, linked.orderId, linked.userId, paid.data.paymentId],
    );

    const claimed = await orm.em
      .fork()
      .transactional((tx) => claimDue(tx, { limit: 1, maxWaitMs: 900_000, logger }));

    expect(claimed.map((delivery) => delivery.eventId)).toEqual([paid.id]);
    const [row] = await orm.em
      .fork()
      .execute<{ due: number }[]>(
        `select count(*)::int as due from notifications where user_id = ? and next_attempt_at <= now()`,
        [stranger.userId],
      );
    expect(row?.due).toBe(0);
  });
});

describe('skipExpired', () => {
  it('skips every outcome whose wait ran out without a chat or a summary, and only those', async () => {
    const stranger = buyer();
    const unsummarised = buyer();
    const ready = buyer();
    const fresh = buyer();
    const em = orm.em.fork();
    for (const linked of [unsummarised, ready, fresh])
      await em.execute(
        `insert into recipients (user_id, telegram_id, language_code, linked_at) values (?, ?, 'en', now())`,
        [linked.userId, linked.chatId],
      );
    await em.execute(
      `insert into order_summaries (order_id, user_id, items, total_cents, currency) values (?, ?, '[]', 0, 'EUR')`,
      [ready.orderId, ready.userId],
    );
    const outcomes = new Map([stranger, unsummarised, ready, fresh].map((one) => [one, one.refunded()]));
    for (const [one, paid] of outcomes) {
      const age = one === fresh ? '0 seconds' : '2 hours';
      await em.execute(
        `insert into notifications (event_id, kind, order_id, user_id, payment_id, created_at, next_attempt_at)
         values (?, 'order.paid', ?, ?, ?, now() - interval '${age}', now() - interval '${age}')`,
        [paid.id, one.orderId, one.userId, paid.data.paymentId],
      );
    }

    const skipped = await orm.em
      .fork()
      .transactional((tx) => skipExpired(tx, { limit: 1_000, maxWaitMs: 3_600_000, logger }));

    const rows = await orm.em
      .fork()
      .execute<{ event_id: string; status: string; last_error: string | null }[]>(
        'select event_id, status, last_error from notifications where event_id in (?)',
        [[...outcomes.values()].map((paid) => paid.id)],
      );
    const byId = new Map(rows.map((row) => [row.event_id, [row.status, row.last_error]]));
    expect(skipped).toBe(2);
    expect(byId.get(outcomes.get(stranger)!.id)).toEqual(['skipped', 'the user has no linked Telegram chat']);
    expect(byId.get(outcomes.get(unsummarised)!.id)).toEqual(['skipped', 'the order summary never arrived']);
    // Sendable, if late: claimDue's business. Still within its wait: left alone.
    expect(byId.get(outcomes.get(ready)!.id)).toEqual(['pending', null]);
    expect(byId.get(outcomes.get(fresh)!.id)).toEqual(['pending', null]);
  });
});

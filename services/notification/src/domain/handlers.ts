import type { BatchEventHandler, EventHandler, EventOf, EventType, ServiceEntityManager } from '@shop/shared';
import type { Logger } from 'pino';

export interface HandlerDeps {
  logger: Logger;
  /** Wakes the sender; called only once the handler's transaction has committed. */
  wake: () => void;
}

/**
 * Runs `wake` after `em`'s transaction commits, never before: a sender woken earlier would look
 * for a row it cannot see yet. The transactional EntityManager carries its own clone of the
 * event manager, so this subscriber lives and dies with this one transaction.
 */
function afterCommit(em: ServiceEntityManager, wake: () => void): void {
  em.getEventManager().registerSubscriber({ afterTransactionCommit: () => wake() });
}

/**
 * A projection handler and an outcome handler of the same order (or user) run concurrently on
 * separate queues and cannot see each other's uncommitted rows: the summary's makeDue would miss
 * an outcome committing meanwhile, which the sender would then put off until its wait expires
 * (NOTIFICATION_MAX_WAIT_SECONDS). So a projection takes the order's (or user's)
 * transaction-scoped lock first, and an outcome takes both in shared mode (outcomes never wait
 * for each other): whichever of the two comes second runs after the first committed, and
 * makeDue, a later statement, sees the outcome.
 */
const lockKey = (subject: 'order' | 'user', id: string | number) => `notification:${subject}:${id}`;
const LOCKED = `locked as (select pg_advisory_xact_lock(hashtextextended(?, 0)))`;
const SHARED_LOCKED = `locked as (select pg_advisory_xact_lock_shared(hashtextextended(?, 0)),
  pg_advisory_xact_lock_shared(hashtextextended(?, 0)))`;

/**
 * Takes the advisory locks of `keys` in one statement and in one fixed order (by their hash),
 * so that a batch of projections and a batch of outcomes over the same orders cannot each hold
 * a lock the other waits for. The handlers then take their own locks again, at no cost: a
 * transaction may hold an advisory lock several times.
 */
async function lockInOrder(em: ServiceEntityManager, keys: string[], mode: 'exclusive' | 'shared') {
  const lock = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await em.execute(
    `select count(${lock}(h)) from (
       select distinct hashtextextended(k, 0) as h from unnest(array[?]::text[]) as k order by h) as keys`,
    [keys],
    'all',
  );
}

/**
 * The batch form of `handler` for a consumer that takes several waiting messages in one
 * transaction: every lock the events need first (in order), then `handler` on each.
 */
function batchOf<T extends EventType>(
  handler: EventHandler<T>,
  keysOf: (event: EventOf<T>) => string[],
  mode: 'exclusive' | 'shared',
): BatchEventHandler<T> {
  return async (em, events) => {
    await lockInOrder(em, events.flatMap(keysOf), mode);
    for (const event of events) await handler(em, event);
  };
}

/**
 * Pending notifications of these rows may have just become sendable: makes them due now and,
 * once committed, wakes the sender. Nothing pending (the usual case: the summary came first)
 * costs the sender no claim.
 */
async function makeDue(
  em: ServiceEntityManager,
  column: 'user_id' | 'order_id',
  value: string | number,
  wake: () => void,
) {
  const { affectedRows } = await em.execute<{ affectedRows: number }>(
    `update notifications set next_attempt_at = now() where ${column} = ? and status = 'pending'`,
    [value],
    'run',
  );
  if (affectedRows > 0) afterCommit(em, wake);
}

/**
 * `user.telegram_linked`: remembers (or moves) the user's chat and language. Linking again also
 * clears an earlier "unreachable": the user is talking to the bot, so it is no longer blocked.
 * Link events can arrive out of order; the newest `occurredAt` wins.
 */
export function userLinkedHandler({ logger, wake }: HandlerDeps): EventHandler<'user.telegram_linked'> {
  return async (em, event) => {
    const { userId, telegramId, languageCode } = event.data;
    await em.execute(
      `with ${LOCKED}
       insert into recipients (user_id, telegram_id, language_code, linked_at, unreachable_at)
       select ?, ?, ?, ?, null from locked
       on conflict (user_id) do update set telegram_id = excluded.telegram_id,
         language_code = excluded.language_code, linked_at = excluded.linked_at, unreachable_at = null
       where recipients.linked_at <= excluded.linked_at`,
      [lockKey('user', userId), userId, telegramId, languageCode ?? null, new Date(event.occurredAt)],
      'run',
    );
    await makeDue(em, 'user_id', userId, wake);
    logger.debug({ userId, eventId: event.id }, 'telegram chat linked');
  };
}

/** `order.created`: keeps what the message will list; the first copy wins (orders never change). */
export function orderCreatedHandler({ wake }: HandlerDeps): EventHandler<'order.created'> {
  return async (em, event) => {
    const { orderId, userId, items, totalCents, currency } = event.data;
    await em.execute(
      `with ${LOCKED}
       insert into order_summaries (order_id, user_id, items, total_cents, currency)
       select ?, ?, ?, ?, ? from locked on conflict (order_id) do nothing`,
      [lockKey('order', orderId), orderId, userId, JSON.stringify(items), totalCents, currency],
      'run',
    );
    await makeDue(em, 'order_id', orderId, wake);
  };
}

/** `orderCreatedHandler` for a batch of waiting `order.created` events. */
export function orderCreatedBatchHandler(deps: HandlerDeps): BatchEventHandler<'order.created'> {
  return batchOf(orderCreatedHandler(deps), (event) => [lockKey('order', event.data.orderId)], 'exclusive');
}

/**
 * `payment.succeeded` / `payment.failed`: records the message owed, in the inbox transaction, so
 * the event is acked only once the duty to tell the user is durable. Sending happens in the
 * sender, after commit. The event id (primary key) and (order, kind) make every copy of an
 * outcome, even one republished under a new id, land on the same single row.
 */
export function paymentOutcomeHandler({
  logger,
  wake,
}: HandlerDeps): EventHandler<'payment.succeeded' | 'payment.failed'> {
  return async (em, event) => {
    const { orderId, userId, paymentId, items, amountCents, currency } = event.data;
    const reason = event.type === 'payment.failed' ? event.data.reason : null;
    // An outcome that carries the order's items is its own summary: the message need not wait
    // for order.created.
    const inserted = await em.execute<{ affectedRows: number }>(
      `with ${SHARED_LOCKED},
       summary as (insert into order_summaries (order_id, user_id, items, total_cents, currency)
         select ?, ?, ?::jsonb, ?, ? from locked where ?::jsonb is not null on conflict (order_id) do nothing)
       insert into notifications (event_id, kind, order_id, user_id, payment_id, reason)
       select ?, ?, ?, ?, ?, ? from locked on conflict do nothing`,
      [
        lockKey('order', orderId),
        lockKey('user', userId),
        orderId,
        userId,
        items ? JSON.stringify(items) : null,
        amountCents,
        currency,
        items ? JSON.stringify(items) : null,
        event.id,
        event.type,
        orderId,
        userId,
        paymentId,
        reason,
      ],
      'run',
    );
    if (inserted.affectedRows === 0) {
      logger.info(
        { orderId, eventId: event.id, type: event.type },
        'outcome already recorded; event ignored',
      );
      return;
    }
    afterCommit(em, wake);
  };
}

/** `paymentOutcomeHandler` for a batch of waiting outcomes. */
export function paymentOutcomeBatchHandler(
  deps: HandlerDeps,
): BatchEventHandler<'payment.succeeded' | 'payment.failed'> {
  return batchOf(
    paymentOutcomeHandler(deps),
    (event) => [lockKey('order', event.data.orderId), lockKey('user', event.data.userId)],
    'shared',
  );
}

import type { BatchEventHandler, EventHandler, EventOf, EventType, ServiceEntityManager } from '@shop/shared';
import type { Logger } from 'pino';
import {
  alertOf,
  recordAlert,
  saveConfiguredAdmins,
  saveGrant,
  type AlertingEvent,
} from '../store/admins.ts';
import {
  lockInOrder,
  lockKey,
  makeDue,
  recordOwedMessage,
  saveOrderSummary,
  saveRecipient,
  type OWED_EVENTS,
} from '../store/projections.ts';

type OwedType = (typeof OWED_EVENTS)[number];

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
 * The batch form of `handler` for a consumer that takes several waiting messages in one
 * transaction: every lock the events need first (in order, see `lockInOrder`), then `handler`
 * on each.
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

/** `user.telegram_linked`: remembers the user's chat (`saveRecipient`); outcomes waiting for it come due. */
export function userLinkedHandler({ logger, wake }: HandlerDeps): EventHandler<'user.telegram_linked'> {
  return async (em, event) => {
    await saveRecipient(em, event);
    if (await makeDue(em, 'user_id', event.data.userId)) afterCommit(em, wake);
    logger.debug({ userId: event.data.userId, eventId: event.id }, 'telegram chat linked');
  };
}

/** `order.created`: keeps what the message will list (`saveOrderSummary`); outcomes waiting for it come due. */
export function orderCreatedHandler({ wake }: HandlerDeps): EventHandler<'order.created'> {
  return async (em, event) => {
    await saveOrderSummary(em, event);
    if (await makeDue(em, 'order_id', event.data.orderId)) afterCommit(em, wake);
  };
}

/** `orderCreatedHandler` for a batch of waiting `order.created` events. */
export function orderCreatedBatchHandler(deps: HandlerDeps): BatchEventHandler<'order.created'> {
  return batchOf(orderCreatedHandler(deps), (event) => [lockKey('order', event.data.orderId)], 'exclusive');
}

/**
 * A change the buyer is told of (`order.paid`, `order.shipped`, `order.delivered`,
 * `order.cancelled`, `payment.failed`, `payment.refund_pending`, `payment.refunded`) or an
 * invoice to send them (`payment.requested`): records the message owed, and the admins' alert of
 * a paid order, a failed payment, an order out of stock or a refund to make, in the inbox
 * transaction, so the event is acked only once the duty to tell them is durable. Sending happens
 * in the sender, after commit. An order placed in the Mini App gets no invoice in the chat: the
 * Mini App opens the same invoice by link (docs/decisions/mini-app-session.md), and one order
 * never shows two invoices.
 */
export function owedMessageHandler({ logger, wake }: HandlerDeps): EventHandler<OwedType> {
  return async (em, event) => {
    if (event.type === 'payment.requested' && event.data.channel === 'mini_app') {
      logger.info(
        { orderId: event.data.orderId, eventId: event.id },
        'a Mini App order is paid in the Mini App; no invoice in the chat',
      );
      return;
    }
    const owed = await recordOwedMessage(em, event);
    const alerted =
      event.type === 'order.paid' ||
      event.type === 'order.cancelled' ||
      event.type === 'payment.failed' ||
      event.type === 'payment.refund_pending'
        ? await recordAlertOf(em, event)
        : 0;
    if (owed || alerted > 0) afterCommit(em, wake);
    if (!owed) {
      logger.info(
        { orderId: event.data.orderId, eventId: event.id, type: event.type },
        'message already owed; event ignored',
      );
    }
  };
}

/** Owes the event's alert, if it raises one, to every admin chat; how many alerts were added. */
async function recordAlertOf(em: ServiceEntityManager, event: AlertingEvent): Promise<number> {
  const alert = alertOf(event);
  return alert ? recordAlert(em, alert) : 0;
}

/**
 * `stock.low`: owes the low-stock (or sold-out) alert to every admin chat, in the inbox
 * transaction; the sender sends it after commit.
 */
export function stockLowHandler({ wake }: HandlerDeps): EventHandler<'stock.low'> {
  return async (em, event) => {
    if ((await recordAlertOf(em, event)) > 0) afterCommit(em, wake);
  };
}

/**
 * `user.admin_grant_changed` and `admins.configured`: who is an admin, as auth says (see
 * docs/decisions/admin-alerts.md). Alerts of events that come after go to the admins then.
 */
export function adminsHandler(): EventHandler<'user.admin_grant_changed' | 'admins.configured'> {
  return async (em, event) => {
    if (event.type === 'admins.configured') await saveConfiguredAdmins(em, event);
    else await saveGrant(em, event);
  };
}

/** `owedMessageHandler` for a batch of waiting events. */
export function owedMessageBatchHandler(deps: HandlerDeps): BatchEventHandler<OwedType> {
  return batchOf(
    owedMessageHandler(deps),
    (event) =>
      event.data.orderId === undefined
        ? [lockKey('user', event.data.userId)]
        : [lockKey('order', event.data.orderId), lockKey('user', event.data.userId)],
    'shared',
  );
}

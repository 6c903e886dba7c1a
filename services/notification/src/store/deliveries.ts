import type { ServiceEntityManager } from '@shop/shared';
import type { Logger } from 'pino';
import { claimAlerts, type AlertDelivery } from './alert-claims.ts';
import { claimAnnouncementDeliveries, type AnnouncementDelivery } from './announcements.ts';
import { claimDue, type ClaimOptions, type OrderDelivery } from './claims.ts';

/**
 * One message the sender has claimed (committed as `sending`): a buyer's news about their order,
 * an admin's alert, or a buyer's copy of an announcement. Each is a row of its own table; all of
 * them go through the same claim, send and outcome (`record-outcome.ts`).
 */
export type Delivery = OrderDelivery | AlertDelivery | AnnouncementDelivery;

/** Where a kind of delivery lives, and what its log lines call it. */
interface DeliveryTable {
  table: string;
  /** The row's primary key, as a `where` clause. */
  key: string;
  /** The key's columns, named as log fields (bigint ids as numbers). */
  columns: string;
  noun: string;
  /** The status a 403 leaves: announcements count the chats that blocked the bot apart. */
  blockedStatus: 'failed' | 'blocked';
  /** What else a send that provably never happened resets, so the row is due again at once. */
  retry: string;
}

export const DELIVERY_TABLES: Record<Delivery['kind'], DeliveryTable> = {
  order: {
    table: 'notifications',
    key: 'event_id = ?',
    columns: 'event_id as "eventId", order_id::float8 as "orderId"',
    noun: 'notification',
    blockedStatus: 'failed',
    retry: ', next_attempt_at = now()',
  },
  alert: {
    table: 'admin_alerts',
    key: 'alert_key = ? and chat_id = ?',
    columns: 'alert_key as "alertKey", chat_id::float8 as "chatId"',
    noun: 'admin alert',
    blockedStatus: 'failed',
    retry: '',
  },
  announcement: {
    table: 'announcement_deliveries',
    key: 'announcement_id = ? and user_id = ?',
    columns: 'announcement_id::float8 as "announcementId", user_id as "userId"',
    noun: 'announcement',
    blockedStatus: 'blocked',
    retry: '',
  },
};

/** The values of `delivery`'s key (in `DELIVERY_TABLES` order) and the fields its log lines carry. */
export function rowOf(delivery: Delivery): { key: unknown[]; fields: Record<string, unknown> } {
  const { kind, chatId } = delivery;
  switch (delivery.kind) {
    case 'order':
      return {
        key: [delivery.eventId],
        fields: { kind, eventId: delivery.eventId, orderId: delivery.orderId, chatId },
      };
    case 'alert':
      return { key: [delivery.alertKey, chatId], fields: { kind, alertKey: delivery.alertKey, chatId } };
    case 'announcement':
      return {
        key: [delivery.announcementId, delivery.userId],
        fields: { kind, announcementId: delivery.announcementId, userId: delivery.userId, chatId },
      };
  }
}

/**
 * Claims up to `limit` messages in one transaction, in order of who is waiting for them: the
 * buyers' news about their orders first, then admins' alerts, then announcements, each with what
 * is left of `limit`. Everything returned is committed as `sending` with the transaction.
 */
export async function claimNext(em: ServiceEntityManager, options: ClaimOptions): Promise<Delivery[]> {
  const orders = await claimDue(em, options);
  const alerts = await claimAlerts(em, options.limit - orders.length);
  const announcements = await claimAnnouncementDeliveries(em, options.limit - orders.length - alerts.length);
  return [...orders, ...alerts, ...announcements];
}

/**
 * Deliveries of every kind left `sending` longer than `leaseMs` (their process died mid-call)
 * become `failed`, outcome unknown: the message may have arrived, and sending it again could
 * repeat it. Each is logged as an error. A row someone else holds (SKIP LOCKED) is left for the
 * next round: recovery never waits for a lock.
 */
export async function failAbandoned(em: ServiceEntityManager, leaseMs: number, log: Logger) {
  for (const [kind, { table, columns, noun }] of Object.entries(DELIVERY_TABLES)) {
    const rows = await em.execute<Record<string, unknown>[]>(
      `update ${table} set status = 'failed', last_error = 'outcome unknown: the process sending it stopped'
       where status = 'sending' and ctid in (
         select ctid from ${table} where status = 'sending' and claimed_at < now() - ? * interval '1 millisecond'
         for update skip locked)
       returning ${columns}`,
      [leaseMs],
      'all',
    );
    for (const row of rows)
      log.error({ kind, ...row }, `${noun} abandoned mid-send; not resent (it may have arrived)`);
  }
}

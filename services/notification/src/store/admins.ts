import type { EventOf, ServiceEntityManager } from '@shop/shared';
import type { AlertPayload } from '../domain/alerts.ts';

/** Remembers an operator's grant or revocation; an older event arriving late changes nothing. */
export async function saveGrant(em: ServiceEntityManager, event: EventOf<'user.admin_grant_changed'>) {
  await em.execute(
    `insert into admin_grants (user_id, granted, changed_at) values (?, ?, ?)
     on conflict (user_id) do update set granted = excluded.granted, changed_at = excluded.changed_at
     where admin_grants.changed_at <= excluded.changed_at`,
    [event.data.userId, event.data.granted, new Date(event.occurredAt)],
    'run',
  );
}

/** Replaces the Telegram ids ADMIN_TELEGRAM_IDS names with those auth read at its latest start. */
export async function saveConfiguredAdmins(em: ServiceEntityManager, event: EventOf<'admins.configured'>) {
  await em.execute(
    `insert into configured_admins (id, telegram_ids, configured_at) values (1, ?::bigint[], ?)
     on conflict (id) do update set telegram_ids = excluded.telegram_ids, configured_at = excluded.configured_at
     where configured_admins.configured_at <= excluded.configured_at`,
    [`{${event.data.telegramIds.join(',')}}`, new Date(event.occurredAt)],
    'run',
  );
}

/** One alert for the shop's admins: what it is about, what it says, and whose order it names. */
export interface Alert {
  /** The same for every copy of the event, even one republished under a new id. */
  key: string;
  payload: AlertPayload;
  buyerUserId: string | null;
}

/**
 * Admins' chats, one row each: auth's rule (services/auth/src/domain/roles.ts) applied to this
 * service's projections: an account is an admin while an operator's grant stands or while its
 * linked Telegram id is one ADMIN_TELEGRAM_IDS names. A chat that blocked the bot is left out
 * until its user links it again; a Telegram id two accounts were linked to counts once.
 */
const ADMIN_CHATS = `
  select distinct on (r.telegram_id) r.telegram_id, r.user_id, r.language_code
  from recipients r
  where r.unreachable_at is null
    and (exists (select 1 from admin_grants g where g.user_id = r.user_id and g.granted)
      or r.telegram_id = any (coalesce((select telegram_ids from configured_admins where id = 1), '{}')))
  order by r.telegram_id, r.linked_at desc`;

/**
 * Owes `alert` to every admin chat known now, in the event's inbox transaction: the event is
 * acked only once every alert is durable. Every copy of the event lands on the same rows (one per
 * alert and chat). Returns how many alerts it added.
 */
export async function recordAlert(em: ServiceEntityManager, alert: Alert): Promise<number> {
  const { affectedRows } = await em.execute<{ affectedRows: number }>(
    `insert into admin_alerts (alert_key, chat_id, admin_user_id, language_code, kind, buyer_user_id, payload)
     select ?, admins.telegram_id, admins.user_id, admins.language_code, ?, ?, ?::jsonb from (${ADMIN_CHATS}) as admins
     on conflict do nothing`,
    [alert.key, alert.payload.kind, alert.buyerUserId, JSON.stringify(alert.payload)],
    'run',
  );
  return affectedRows;
}

/** The events admins are alerted of. */
export type AlertingEvent = EventOf<
  'order.paid' | 'order.cancelled' | 'payment.failed' | 'stock.low' | 'payment.refund_pending'
>;

/**
 * The alert an event raises, if any: a paid order, a failed payment, an order out of stock, low
 * stock, a provider payment the merchant must refund by hand (`telegram`: Stars are refunded by
 * the payment service through the Bot API).
 */
export function alertOf(event: AlertingEvent): Alert | undefined {
  switch (event.type) {
    case 'order.paid': {
      const { orderId, userId, items, totalCents, currency, delivery } = event.data;
      return {
        key: `order.paid:${orderId}`,
        buyerUserId: userId,
        payload: {
          kind: 'order.paid',
          orderId,
          items,
          totalCents,
          currency,
          ...(delivery ? { delivery } : {}),
        },
      };
    }
    case 'payment.failed': {
      const { orderId, userId, amountCents: totalCents, currency, reason } = event.data;
      return {
        key: `payment.failed:${orderId}`,
        buyerUserId: userId,
        payload: { kind: 'payment.failed', orderId, totalCents, currency, reason },
      };
    }
    case 'order.cancelled': {
      const { orderId, userId, reason, shortages } = event.data;
      if (reason !== 'out_of_stock') return undefined;
      return {
        key: `order.out_of_stock:${orderId}`,
        buyerUserId: userId,
        payload: { kind: 'order.out_of_stock', orderId, shortages: shortages ?? [] },
      };
    }
    case 'stock.low':
      return {
        key: `stock.low:${event.id}`,
        buyerUserId: null,
        payload: { kind: 'stock.low', ...event.data },
      };
    case 'payment.refund_pending': {
      const { paymentId, orderId, userId, amountCents: totalCents, currency, method, reason } = event.data;
      if (method !== 'telegram') return undefined;
      return {
        key: `payment.refund_pending:${paymentId}`,
        buyerUserId: userId,
        payload: {
          kind: 'payment.refund_pending',
          orderId: orderId ?? null,
          totalCents,
          currency,
          reason,
          telegramPaymentChargeId: event.data.telegramPaymentChargeId ?? null,
          providerPaymentChargeId: event.data.providerPaymentChargeId ?? null,
        },
      };
    }
  }
}

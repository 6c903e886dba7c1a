import type { ServiceEntityManager } from '@shop/shared';
import { renderAlert, type AlertPayload } from '../domain/alerts.ts';
import { BLOCKED } from '../domain/due.ts';
import type { MessageContent } from '../telegram/client.ts';

/** An admin's alert claimed for sending (committed as `sending`), with its text and buttons. */
export interface AlertDelivery {
  kind: 'alert';
  alertKey: string;
  /** The admin. */
  userId: string;
  chatId: number;
  content: MessageContent;
}

interface ClaimedRow {
  alert_key: string;
  chat_id: string;
  admin_user_id: string;
  language_code: string | null;
  payload: AlertPayload;
  buyer_name: string | null;
  status: 'sending' | 'skipped';
}

// The oldest due alerts, locked (SKIP LOCKED: replicas never take the same row); an alert for a
// chat that blocked the bot since it was owed is skipped instead of sent.
const CLAIM = `
  with due as (
    select a.alert_key, a.chat_id, r.unreachable_at is not null as blocked
    from admin_alerts a
    left join recipients r on r.user_id = a.admin_user_id and r.telegram_id = a.chat_id
    where a.status = 'pending'
    order by a.created_at
    limit ?
    for update of a skip locked)
  update admin_alerts a set
    status = case when due.blocked then 'skipped' else 'sending' end,
    attempts = a.attempts + case when due.blocked then 0 else 1 end,
    claimed_at = case when due.blocked then null else now() end,
    last_error = case when due.blocked then ? else a.last_error end
  from due
  where a.alert_key = due.alert_key and a.chat_id = due.chat_id
  returning a.alert_key, a.chat_id, a.admin_user_id, a.language_code, a.payload, a.status,
    (select b.first_name from recipients b where b.user_id = a.buyer_user_id) as buyer_name`;

/**
 * Takes up to `limit` due alerts and commits them `sending` with `em`'s transaction, rendered
 * in each admin's language; what the shop knows of the buyer's name is read now (it may have
 * come after the event).
 */
export async function claimAlerts(em: ServiceEntityManager, limit: number): Promise<AlertDelivery[]> {
  if (limit <= 0) return [];
  const rows = await em.execute<ClaimedRow[]>(CLAIM, [limit, BLOCKED]);
  return rows
    .filter((row) => row.status === 'sending')
    .map((row) => ({
      kind: 'alert',
      alertKey: row.alert_key,
      userId: row.admin_user_id,
      chatId: Number(row.chat_id),
      content: renderAlert(row.payload, { languageCode: row.language_code, buyer: row.buyer_name }),
    }));
}

import type { ServiceEntityManager } from '@shop/shared';
import type { Logger } from 'pino';
import { renderAlert, type AlertMessage, type AlertPayload } from '../domain/alerts.ts';
import { BLOCKED } from '../domain/due.ts';
import type { SendOutcome } from '../telegram/client.ts';

/** An admin's alert claimed for sending (committed as `sending`), with its text and buttons. */
export interface AlertDelivery {
  kind: 'alert';
  alertKey: string;
  adminUserId: string;
  chatId: number;
  message: AlertMessage;
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
      adminUserId: row.admin_user_id,
      chatId: Number(row.chat_id),
      message: renderAlert(row.payload, { languageCode: row.language_code, buyer: row.buyer_name }),
    }));
}

/**
 * Writes down how an alert's send ended, as `recordOutcome` does for a buyer's message: only a
 * row still `sending` (our claim) changes; a 403 also marks the admin's chat unreachable, which
 * leaves it out of later alerts until its user links it again.
 */
export async function recordAlertOutcome(
  em: ServiceEntityManager,
  delivery: AlertDelivery,
  outcome: SendOutcome,
  log: Logger,
): Promise<void> {
  const fields = { alertKey: delivery.alertKey, chatId: delivery.chatId };
  const update = (on: ServiceEntityManager, set: string, params: unknown[]) =>
    on.execute(
      `update admin_alerts set ${set} where alert_key = ? and chat_id = ? and status = 'sending'`,
      [...params, delivery.alertKey, delivery.chatId],
      'run',
    );
  switch (outcome.status) {
    case 'sent':
      await update(em, `status = 'sent', sent_at = now(), telegram_message_id = ?`, [outcome.messageId]);
      log.info({ ...fields, messageId: outcome.messageId }, 'admin alert sent');
      return;
    case 'interrupted':
      await update(em, `status = 'pending', claimed_at = null`, []);
      return;
    case 'blocked':
      await em.transactional(async (tx) => {
        await update(tx, `status = 'failed', last_error = ?`, [`blocked: ${outcome.description}`]);
        await tx.execute(
          'update recipients set unreachable_at = now() where user_id = ? and telegram_id = ?',
          [delivery.adminUserId, delivery.chatId],
          'run',
        );
      });
      log.warn(
        { ...fields, description: outcome.description },
        'an admin blocked the bot; chat marked unreachable',
      );
      return;
    case 'rejected':
      await update(em, `status = 'failed', last_error = ?`, [`${outcome.code}: ${outcome.description}`]);
      log.warn(
        { ...fields, code: outcome.code, description: outcome.description },
        'Telegram rejected the admin alert',
      );
      return;
    case 'gave_up':
    case 'unknown':
      await update(em, `status = 'failed', last_error = ?`, [`${outcome.status}: ${outcome.description}`]);
      log.error(
        { ...fields, description: outcome.description },
        outcome.status === 'unknown'
          ? 'no answer from Telegram; admin alert not resent (it may have arrived)'
          : 'Telegram kept failing; admin alert given up',
      );
      return;
  }
}

/** Alerts left `sending` longer than `leaseMs` by a process that died mid-send: failed, never resent. */
export async function failAbandonedAlerts(em: ServiceEntityManager, leaseMs: number) {
  return em.execute<{ alert_key: string; chat_id: string }[]>(
    `update admin_alerts set status = 'failed', last_error = 'outcome unknown: the process sending it stopped'
     where status = 'sending' and claimed_at < now() - ? * interval '1 millisecond'
     returning alert_key, chat_id`,
    [leaseMs],
    'all',
  );
}

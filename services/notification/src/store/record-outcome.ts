import type { ServiceEntityManager } from '@shop/shared';
import type { Logger } from 'pino';
import type { SendOutcome } from '../telegram/client.ts';
import type { OrderDelivery } from './claims.ts';

/**
 * A 403 on a send to `chatId`: the user blocked the bot. Only that chat is marked: a chat linked
 * since then may well be reachable.
 */
export async function markUnreachable(em: ServiceEntityManager, userId: string, chatId: number) {
  await em.execute(
    'update recipients set unreachable_at = now() where user_id = ? and telegram_id = ?',
    [userId, chatId],
    'run',
  );
}

/**
 * Writes down how a send ended; only a row still `sending` (our claim) is changed. One statement
 * on its own (a transaction of one would cost two more round trips per message), except for a
 * blocked chat, whose two changes commit together.
 */
export async function recordOutcome(
  em: ServiceEntityManager,
  delivery: OrderDelivery,
  outcome: SendOutcome,
  log: Logger,
): Promise<void> {
  const fields = { eventId: delivery.eventId, orderId: delivery.orderId, chatId: delivery.chatId };
  const update = (on: ServiceEntityManager, set: string, params: unknown[]) =>
    on.execute(
      `update notifications set ${set} where event_id = ? and status = 'sending'`,
      [...params, delivery.eventId],
      'run',
    );
  switch (outcome.status) {
    case 'sent':
      await update(em, `status = 'sent', sent_at = now(), telegram_message_id = ?, last_error = null`, [
        outcome.messageId,
      ]);
      log.info({ ...fields, messageId: outcome.messageId }, 'notification sent');
      return;
    case 'interrupted':
      await update(em, `status = 'pending', claimed_at = null, next_attempt_at = now()`, []);
      return;
    case 'blocked':
      await em.transactional(async (tx) => {
        await update(tx, `status = 'failed', last_error = ?`, [`blocked: ${outcome.description}`]);
        await markUnreachable(tx, delivery.userId, delivery.chatId);
      });
      log.warn(
        { ...fields, description: outcome.description },
        'the user blocked the bot; chat marked unreachable',
      );
      return;
    case 'rejected':
      await update(em, `status = 'failed', last_error = ?`, [`${outcome.code}: ${outcome.description}`]);
      log.warn(
        { ...fields, code: outcome.code, description: outcome.description },
        'Telegram rejected the notification',
      );
      return;
    case 'gave_up':
    case 'unknown':
      await update(em, `status = 'failed', last_error = ?`, [`${outcome.status}: ${outcome.description}`]);
      log.error(
        { ...fields, description: outcome.description },
        outcome.status === 'unknown'
          ? 'no answer from Telegram; not resent (it may have arrived)'
          : 'Telegram kept failing; notification given up',
      );
      return;
  }
}

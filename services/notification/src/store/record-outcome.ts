import type { ServiceEntityManager } from '@shop/shared';
import type { Logger } from 'pino';
import type { SendOutcome } from '../telegram/client.ts';
import { DELIVERY_TABLES, rowOf, type Delivery } from './deliveries.ts';

/**
 * A 403 on a send to `chatId`: the user blocked the bot. Only that chat is marked: a chat linked
 * since then may well be reachable. A marked chat gets no later news, alert or announcement.
 */
export async function markUnreachable(em: ServiceEntityManager, userId: string, chatId: number) {
  await em.execute(
    'update recipients set unreachable_at = now() where user_id = ? and telegram_id = ?',
    [userId, chatId],
    'run',
  );
}

/**
 * Writes down how a send ended, for a delivery of any kind; only a row still `sending` (our
 * claim) is changed. One statement on its own (a transaction of one would cost two more round
 * trips per message), except for a blocked chat, whose two changes commit together.
 */
export async function recordOutcome(
  em: ServiceEntityManager,
  delivery: Delivery,
  outcome: SendOutcome,
  log: Logger,
): Promise<void> {
  const { table, key, noun, blockedStatus, retry } = DELIVERY_TABLES[delivery.kind];
  const { key: keyValues, fields } = rowOf(delivery);
  const update = (on: ServiceEntityManager, set: string, params: unknown[]) =>
    on.execute(
      `update ${table} set ${set} where ${key} and status = 'sending'`,
      [...params, ...keyValues],
      'run',
    );
  switch (outcome.status) {
    case 'sent':
      await update(em, `status = 'sent', sent_at = now(), telegram_message_id = ?, last_error = null`, [
        outcome.messageId,
      ]);
      // One line per copy of an announcement would drown the rest; its counts are in the database.
      if (delivery.kind === 'announcement')
        log.debug({ ...fields, messageId: outcome.messageId }, `${noun} sent`);
      else log.info({ ...fields, messageId: outcome.messageId }, `${noun} sent`);
      return;
    case 'interrupted':
      await update(em, `status = 'pending', claimed_at = null${retry}`, []);
      return;
    case 'blocked':
      await em.transactional(async (tx) => {
        await update(tx, `status = ?, last_error = ?`, [blockedStatus, `blocked: ${outcome.description}`]);
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
        `Telegram rejected the ${noun}`,
      );
      return;
    case 'gave_up':
    case 'unknown':
      await update(em, `status = 'failed', last_error = ?`, [`${outcome.status}: ${outcome.description}`]);
      log.error(
        { ...fields, description: outcome.description },
        outcome.status === 'unknown'
          ? `no answer from Telegram; ${noun} not resent (it may have arrived)`
          : `Telegram kept failing; ${noun} given up`,
      );
      return;
  }
}

import type { ServiceEntityManager } from '@shop/shared';
import type { Logger } from 'pino';
import type { SendOutcome } from '../telegram/client.ts';
import { claimAnnouncementDeliveries, type AnnouncementDelivery } from './announcements.ts';
import { claimDue, type OrderDelivery } from './claims.ts';
import { markUnreachable, recordOutcome } from './record-outcome.ts';

/** One message the sender has claimed: a buyer's news about an order, or their copy of an announcement. */
export type Delivery = OrderDelivery | AnnouncementDelivery;

/**
 * Claims up to `limit` messages in one transaction: news about orders first (a buyer waits for
 * it), then announcements with what is left of `limit`. Everything returned is committed as
 * `sending` with the transaction.
 */
export async function claimNext(
  em: ServiceEntityManager,
  options: { limit: number; maxWaitMs: number; logger: Logger },
): Promise<Delivery[]> {
  const orders = await claimDue(em, options);
  return [...orders, ...(await claimAnnouncementDeliveries(em, options.limit - orders.length))];
}

/** Writes down how a send ended; only a delivery still `sending` (our claim) is changed. */
export async function recordDelivery(
  em: ServiceEntityManager,
  delivery: Delivery,
  outcome: SendOutcome,
  log: Logger,
): Promise<void> {
  if (delivery.kind === 'order') return recordOutcome(em, delivery, outcome, log);
  const fields = {
    announcementId: delivery.announcementId,
    userId: delivery.userId,
    chatId: delivery.chatId,
  };
  const update = (on: ServiceEntityManager, set: string, params: unknown[]) =>
    on.execute(
      `update announcement_deliveries set ${set} where announcement_id = ? and user_id = ? and status = 'sending'`,
      [...params, delivery.announcementId, delivery.userId],
      'run',
    );
  switch (outcome.status) {
    case 'sent':
      await update(em, `status = 'sent', sent_at = now(), telegram_message_id = ?`, [outcome.messageId]);
      return;
    case 'interrupted':
      await update(em, `status = 'pending', claimed_at = null`, []);
      return;
    case 'blocked':
      await em.transactional(async (tx) => {
        await update(tx, `status = 'blocked', last_error = ?`, [outcome.description]);
        await markUnreachable(tx, delivery.userId, delivery.chatId);
      });
      log.info(fields, 'the user blocked the bot; announcement not delivered, chat marked unreachable');
      return;
    case 'rejected':
      await update(em, `status = 'failed', last_error = ?`, [`${outcome.code}: ${outcome.description}`]);
      log.warn({ ...fields, description: outcome.description }, 'Telegram rejected the announcement');
      return;
    case 'gave_up':
    case 'unknown':
      await update(em, `status = 'failed', last_error = ?`, [`${outcome.status}: ${outcome.description}`]);
      log.error(
        { ...fields, description: outcome.description },
        outcome.status === 'unknown'
          ? 'no answer from Telegram; announcement not resent (it may have arrived)'
          : 'Telegram kept failing; announcement given up for this chat',
      );
      return;
  }
}

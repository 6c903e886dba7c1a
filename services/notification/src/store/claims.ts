import type { ServiceEntityManager } from '@shop/shared';
import type { Logger } from 'pino';
import type { OrderItem } from '../db/entities.ts';
import { decideDue } from '../domain/due.ts';
import { renderOutcome, type MessageKind, type Shortage } from '../domain/messages.ts';
import type { MessageContent } from '../telegram/client.ts';

/** A notification claimed for sending (committed as `sending`), with its text. */
export interface OrderDelivery {
  kind: 'order';
  eventId: string;
  orderId: number;
  userId: string;
  chatId: number;
  content: MessageContent;
}

interface DueRow {
  event_id: string;
  kind: MessageKind;
  order_id: string;
  user_id: string;
  reason: string | null;
  shortages: Shortage[] | null;
  note: string | null;
  was_paid: boolean;
  created_at: Date;
  expired: boolean;
  telegram_id: string | null;
  language_code: string | null;
  unreachable_at: Date | null;
  items: OrderItem[] | null;
  total_cents: string | null;
  currency: string | null;
}

const DUE = `
  select n.event_id, n.kind, n.order_id, n.user_id, n.reason, n.shortages, n.note, n.was_paid, n.created_at,
         n.created_at + ? * interval '1 millisecond' <= now() as expired,
         r.telegram_id, r.language_code, r.unreachable_at, o.items, o.total_cents, o.currency
  from notifications n
  left join recipients r on r.user_id = n.user_id
  left join order_summaries o on o.order_id = n.order_id
  where n.status = 'pending' and n.next_attempt_at <= now()
  order by n.next_attempt_at
  limit ?
  for update of n skip locked`;

const SCAN_LIMIT = 500;

/**
 * Takes up to `limit` due notifications (several senders never take the same row: SKIP LOCKED)
 * and, in the same transaction, decides each one (`decideDue`): to be sent (committed as
 * `sending` and returned), `skipped`, or put off until `maxWaitMs` after the outcome arrived.
 */
export async function claimDue(
  em: ServiceEntityManager,
  { limit, maxWaitMs, logger }: { limit: number; maxWaitMs: number; logger: Logger },
): Promise<OrderDelivery[]> {
  // Looks further than `limit`: rows still waiting for their data are put off in bulk, so a
  // crowd of them (every outcome of a buyer who never linked a chat) cannot hold sendable ones.
  const rows = await em.execute<DueRow[]>(DUE, [maxWaitMs, Math.max(limit, SCAN_LIMIT)], 'all');
  const ready: OrderDelivery[] = [];
  const skipped = new Map<string, string[]>();
  const waiting: string[] = [];
  const skip = (row: DueRow, why: string) => {
    const ids = skipped.get(why) ?? [];
    ids.push(row.event_id);
    skipped.set(why, ids);
    logger.warn(
      { eventId: row.event_id, orderId: Number(row.order_id), userId: row.user_id },
      `notification skipped: ${why}`,
    );
  };

  for (const row of rows) {
    const { telegram_id: chat, items, total_cents: total, currency } = row;
    const decision = decideDue({
      chat: chat !== null,
      blocked: row.unreachable_at !== null,
      summary: Boolean(items && total !== null && currency),
      expired: row.expired,
    });
    if (decision.action === 'skip') skip(row, decision.why);
    else if (decision.action === 'wait') waiting.push(row.event_id);
    // Sendable but beyond what may be in flight: left pending for the next claim. (The row checks
    // repeat what decideDue saw, for the types.)
    else if (ready.length < limit && chat !== null && items && total !== null && currency) {
      ready.push({
        kind: 'order',
        eventId: row.event_id,
        orderId: Number(row.order_id),
        userId: row.user_id,
        chatId: Number(chat),
        content: {
          text: renderOutcome({
            kind: row.kind,
            orderId: Number(row.order_id),
            reason: row.reason,
            shortages: row.shortages,
            note: row.note,
            wasPaid: row.was_paid,
            items,
            totalCents: Number(total),
            currency,
            languageCode: row.language_code,
          }),
        },
      });
    }
  }

  if (ready.length > 0) {
    await em.execute(
      `update notifications n set status = 'sending', attempts = n.attempts + 1, claimed_at = now(), chat_id = r.telegram_id
       from recipients r where r.user_id = n.user_id and n.event_id in (?)`,
      [ready.map((delivery) => delivery.eventId)],
      'run',
    );
  }
  for (const [why, ids] of skipped) {
    await em.execute(
      `update notifications set status = 'skipped', last_error = ? where event_id in (?)`,
      [why, ids],
      'run',
    );
  }
  if (waiting.length > 0) await putOff(em, waiting, maxWaitMs);
  return ready;
}

/**
 * Puts outcomes still missing their chat or summary off until their wait ends (the projection
 * handlers make them due again when the data comes). The data is looked for AGAIN: `DUE` locks
 * a row in its newest version but joins chat and summary as of its own snapshot, so a summary
 * that committed (and made the row due) while `DUE` ran would look missing, and the row would be
 * held back until its wait ran out.
 */
async function putOff(em: ServiceEntityManager, eventIds: string[], maxWaitMs: number) {
  await em.execute(
    `update notifications n set next_attempt_at = n.created_at + ? * interval '1 millisecond'
     where n.event_id in (?)
       and (not exists (select 1 from recipients r where r.user_id = n.user_id)
         or not exists (select 1 from order_summaries o where o.order_id = n.order_id))`,
    [maxWaitMs, eventIds],
    'run',
  );
}

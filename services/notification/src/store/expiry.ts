import type { ServiceEntityManager } from '@shop/shared';
import type { Logger } from 'pino';
import { NO_CHAT, NO_SUMMARY } from '../domain/due.ts';

const EXPIRED = `
  with expired as (
    select n.event_id from notifications n
    where n.status = 'pending' and n.next_attempt_at <= now()
      and n.created_at + ? * interval '1 millisecond' <= now()
      and (not exists (select 1 from recipients r where r.user_id = n.user_id)
        or not exists (select 1 from order_summaries o where o.order_id = n.order_id))
    order by n.next_attempt_at
    limit ?
    for update of n skip locked)
  update notifications n set status = 'skipped', last_error =
    case when exists (select 1 from recipients r where r.user_id = n.user_id) then ? else ? end
  from expired where n.event_id = expired.event_id
  returning n.event_id, n.order_id, n.user_id, n.last_error`;

/**
 * Skips, in bulk and with `claimDue`'s log line for each, outcomes whose wait ran out with their
 * chat or summary still missing. Outcomes of buyers who never link a chat all expire
 * `maxWaitMs` after they came; `claimDue` alone would work through such a crowd `limit` rows a
 * transaction, ahead of sendable messages. Returns how many it skipped (at most `limit`).
 */
export async function skipExpired(
  em: ServiceEntityManager,
  { limit, maxWaitMs, logger }: { limit: number; maxWaitMs: number; logger: Logger },
): Promise<number> {
  const rows = await em.execute<
    { event_id: string; order_id: string; user_id: string; last_error: string }[]
  >(EXPIRED, [maxWaitMs, limit, NO_SUMMARY, NO_CHAT]);
  for (const row of rows) {
    logger.warn(
      { eventId: row.event_id, orderId: Number(row.order_id), userId: row.user_id },
      `notification skipped: ${row.last_error}`,
    );
  }
  return rows.length;
}

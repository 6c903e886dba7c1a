import { startPeriodicTask, type Orm, type ServiceEntityManager, type ServiceKit } from '@shop/shared';
import type { Logger } from 'pino';
import { moveOrders } from '../store/order-status.ts';

const EXPIRY_INTERVAL_MS = 5_000;
const EXPIRY_BATCH = 100;

/**
 * Cancels up to `limit` orders whose reservation ran out unpaid (`cancelReason: expired`), in
 * `em`'s transaction, each with its history row and `order.cancelled` event. The orders are
 * claimed with SKIP LOCKED: replicas share the work, and an order a payment outcome is moving
 * right now is left to the next round (where it is paid, or still expired). Returns how many it
 * cancelled.
 */
export async function expireReservations(
  em: ServiceEntityManager,
  { limit, logger }: { limit: number; logger: Logger },
): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from orders where status = 'awaiting_payment' and reserved_until <= now()
     order by reserved_until limit ? for update skip locked`,
    [limit],
  );
  if (rows.length === 0) return 0;
  const orderIds = rows.map((row) => Number(row.id));
  const results = await moveOrders(
    em,
    orderIds.map((orderId) => ({ orderId, trigger: { type: 'cancel', reason: 'expired' } as const })),
  );
  const cancelled = orderIds.filter((_, index) => results[index]?.outcome === 'moved');
  for (const orderId of cancelled) logger.info({ orderId }, 'reservation expired; order cancelled');
  return cancelled.length;
}

/** Runs `expireReservations` until nothing is left, every few seconds. */
export function startReservationExpiry(kit: ServiceKit, { orm }: { orm: Orm }): void {
  const logger = kit.logger.child({ component: 'reservation-expiry' });
  startPeriodicTask(kit, {
    name: 'reservation expiry',
    intervalMs: EXPIRY_INTERVAL_MS,
    run: async () => {
      let cancelled = EXPIRY_BATCH;
      while (cancelled === EXPIRY_BATCH)
        cancelled = await orm.em
          .fork()
          .transactional((em) => expireReservations(em, { limit: EXPIRY_BATCH, logger }));
    },
  });
}

import type { ServiceEntityManager } from '@shop/shared';
import type { Logger } from 'pino';
import type { SendOutcome } from '../telegram/client.ts';
import { claimAlerts, recordAlertOutcome, type AlertDelivery } from './alert-claims.ts';
import { claimDue, type Delivery as OrderDelivery } from './claims.ts';
import { recordOutcome } from './record-outcome.ts';

/** One message the sender has claimed: a buyer's news about their order, or an admin's alert. */
export type Delivery = ({ kind: 'order' } & OrderDelivery) | AlertDelivery;

/**
 * Claims up to `limit` messages in one transaction: the buyers' news first (a buyer waits for
 * it), then admins' alerts with what is left of `limit`. Everything returned is committed as
 * `sending` with the transaction.
 */
export async function claimNext(
  em: ServiceEntityManager,
  options: { limit: number; maxWaitMs: number; logger: Logger },
): Promise<Delivery[]> {
  const orders = await claimDue(em, options);
  const alerts = await claimAlerts(em, options.limit - orders.length);
  return [...orders.map((delivery) => ({ kind: 'order' as const, ...delivery })), ...alerts];
}

/** Writes down how a send ended; only a message still `sending` (our claim) is changed. */
export function recordDelivery(
  em: ServiceEntityManager,
  delivery: Delivery,
  outcome: SendOutcome,
  log: Logger,
): Promise<void> {
  return delivery.kind === 'order'
    ? recordOutcome(em, delivery, outcome, log)
    : recordAlertOutcome(em, delivery, outcome, log);
}

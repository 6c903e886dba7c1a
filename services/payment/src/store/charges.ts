import type { QueryResult } from '@mikro-orm/core';
import type { ServiceEntityManager } from '@shop/shared';
import { Payment } from '../db/entities.ts';
import type { PaymentRecord } from '../domain/charge.ts';

/**
 * Takes the order's charge lock, held until commit or rollback: two messages for one order never
 * ask the provider at the same time. Hashed into its own key space so it cannot meet other locks.
 */
export async function lockOrderCharge(em: ServiceEntityManager, orderId: number): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`payment:order:${orderId}`]);
}

export async function hasPayment(em: ServiceEntityManager, orderId: number): Promise<boolean> {
  return (await em.count(Payment, { orderId })) > 0;
}

/** Inserts the payment; false when the order has one already (the unique index on `order_id`). */
export async function insertPayment(em: ServiceEntityManager, payment: PaymentRecord): Promise<boolean> {
  const inserted = await em
    .createQueryBuilder(Payment)
    .insert(payment)
    .onConflict('orderId')
    .ignore()
    .execute<QueryResult>('run');
  return inserted.affectedRows > 0;
}

import type { ServiceEntityManager } from '@shop/shared';
import { Payment, type PaymentMethod, type PaymentStatus } from '../db/entities.ts';

/** A payment as the API shows it (services/payment/README.md). */
export interface PaymentView {
  id: string;
  orderId: number;
  status: PaymentStatus;
  amountCents: number;
  currency: string;
  method: PaymentMethod;
}

/**
 * The payments of one of the user's orders: at most one, since an order is charged once.
 * Only the user's own payments are ever looked at: someone else's order, an order that does not
 * exist and an order not charged yet all give the same empty list, so the answer never tells
 * whether an order id exists or whose it is. The owner asking right after checkout gets that
 * normal state, not an error.
 */
export async function listPayments(
  em: ServiceEntityManager,
  userId: string,
  orderId: number,
): Promise<PaymentView[]> {
  const payments = await em.find(Payment, { orderId, userId }, { orderBy: { createdAt: 'asc' } });
  return payments.map(({ id, status, amountCents, currency, method }) => ({
    id,
    orderId,
    status,
    amountCents,
    currency,
    method,
  }));
}

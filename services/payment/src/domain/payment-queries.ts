import { notFound, type ServiceEntityManager } from '@shop/shared';
import { Payment, type PaymentStatus } from '../db/entities.ts';

/** A payment as the API shows it (services/payment/README.md). */
export interface PaymentView {
  id: string;
  orderId: number;
  status: PaymentStatus;
  amountCents: number;
  currency: string;
}

/**
 * The payments of one of the user's orders: at most one, since an order is charged once.
 * An order with a payment of someone else's is "not found" (never "forbidden"). An order this
 * service has not charged yet gives an empty list, not 404: it cannot tell whose order that is,
 * and the owner asking right after checkout would otherwise get an error for a normal state.
 */
export async function listPayments(
  em: ServiceEntityManager,
  userId: string,
  orderId: number,
): Promise<PaymentView[]> {
  const payments = await em.find(Payment, { orderId }, { orderBy: { createdAt: 'asc' } });
  if (payments.some((payment) => payment.userId !== userId)) throw notFound(`order ${orderId}`);
  return payments.map(({ id, status, amountCents, currency }) => ({
    id,
    orderId,
    status,
    amountCents,
    currency,
  }));
}

import type { PaymentMethod, RefundReason, ServiceEntityManager } from '@shop/shared';
import { Payment, type PaymentStatus } from '../db/entities.ts';
import type { PaymentRecord } from '../domain/charge.ts';

/** A payment as the API shows it (services/payment/README.md). */
export interface PaymentView {
  id: string;
  /** Null only for money taken for a payload naming no order (never listed per order). */
  orderId: number | null;
  status: PaymentStatus;
  amountCents: number;
  currency: string;
  method: PaymentMethod;
}

export const paymentView = ({
  id,
  orderId,
  status,
  amountCents,
  currency,
  method,
}: PaymentRecord): PaymentView => ({
  id,
  orderId: orderId ?? null,
  status,
  amountCents,
  currency,
  method,
});

/** A payment Telegram took, as recording it answers: the view, and why it is owed back. */
export const telegramPaymentView = (payment: PaymentRecord) => ({
  ...paymentView(payment),
  refundReason: payment.refundReason ?? null,
});

/** A payment as the merchant sees it: whose, why it is owed back, and the ids to find it at the provider. */
export interface AdminPaymentView extends PaymentView {
  userId: string;
  refundReason: RefundReason | null;
  telegramPaymentChargeId: string | null;
  providerPaymentChargeId: string | null;
  createdAt: string;
}

export const adminPaymentView = (payment: Payment): AdminPaymentView => ({
  ...paymentView(payment),
  userId: payment.userId,
  refundReason: payment.refundReason ?? null,
  telegramPaymentChargeId: payment.telegramPaymentChargeId ?? null,
  providerPaymentChargeId: payment.providerPaymentChargeId ?? null,
  createdAt: payment.createdAt.toISOString(),
});

/**
 * The payments of one of the user's orders: the one taken for it, and any other the user paid
 * that went back. Only the user's own payments are ever looked at: someone else's order, an order
 * that does not exist and an order not charged yet all give the same empty list, so the answer
 * never tells whether an order id exists or whose it is. The owner asking right after checkout
 * gets that normal state, not an error.
 */
export async function listPayments(
  em: ServiceEntityManager,
  userId: string,
  orderId: number,
): Promise<(PaymentView & { orderId: number })[]> {
  const payments = await em.find(Payment, { orderId, userId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  // Every row found names the order asked about.
  return payments.map((payment) => ({ ...paymentView(payment), orderId }));
}

/** Every payment, newest first, or those in `status` and/or made by `method`: a page of them and how many there are. */
export async function listAdminPayments(
  em: ServiceEntityManager,
  {
    status,
    method,
    page,
    limit,
  }: { status?: PaymentStatus | undefined; method?: PaymentMethod | undefined; page: number; limit: number },
) {
  const where = { ...(status && { status }), ...(method && { method }) };
  const [payments, total] = await em.findAndCount(Payment, where, {
    orderBy: { createdAt: 'desc', id: 'desc' },
    limit,
    offset: (page - 1) * limit,
  });
  return { items: payments.map(adminPaymentView), page, limit, total };
}

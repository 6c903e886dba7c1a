import type { QueryResult } from '@mikro-orm/core';
import type { CancelReason, EventData, InvoiceMethod, ServiceEntityManager } from '@shop/shared';
import { Invoice } from '../db/entities.ts';
import type { InvoiceState } from '../domain/invoice-rules.ts';

/** Records the invoice an order waits to be paid by; false when it was recorded already. */
export async function recordInvoice(
  em: ServiceEntityManager,
  invoice: Omit<Invoice, 'createdAt'>,
): Promise<boolean> {
  const inserted = await em
    .createQueryBuilder(Invoice)
    .insert({ ...invoice, createdAt: new Date() })
    .onConflict('orderId')
    .ignore()
    .execute<QueryResult>('run');
  return inserted.affectedRows > 0;
}

/** An invoice with what a recorded payment announces: the order's lines and its flow. */
export interface InvoiceFacts extends InvoiceState {
  items: EventData<'stock.reserved'>['items'];
  correlationId: string;
}

interface InvoiceRow {
  user_id: string;
  method: InvoiceMethod;
  amount_cents: number;
  currency: string;
  items: InvoiceFacts['items'];
  correlation_id: string;
  cancel_reason: CancelReason | null;
  paid: boolean;
}

/**
 * The order's invoice, whether the order was cancelled, and whether a payment is kept for it: one
 * statement over three primary-key or unique-index lookups, fast enough for pre-checkout.
 * Undefined when the order has no invoice.
 */
export async function invoiceOf(
  em: ServiceEntityManager,
  orderId: number,
): Promise<InvoiceFacts | undefined> {
  const [row] = await em.execute<InvoiceRow[]>(
    `select i.user_id, i.method, i.amount_cents, i.currency, i.items, i.correlation_id,
       c.reason as cancel_reason,
       exists (select 1 from payments p where p.order_id = i.order_id and p.status = 'succeeded') as paid
     from invoices i left join order_cancellations c on c.order_id = i.order_id
     where i.order_id = ?`,
    [orderId],
  );
  if (!row) return undefined;
  return {
    userId: row.user_id,
    method: row.method,
    amountCents: row.amount_cents,
    currency: row.currency,
    items: row.items,
    correlationId: row.correlation_id,
    cancelReason: row.cancel_reason,
    paid: row.paid,
  };
}

import {
  addToOutbox,
  createEvent,
  invoicePayloadOf,
  type EventOf,
  type InvoiceMethod,
  type ServiceEntityManager,
} from '@shop/shared';
import type { Logger } from 'pino';
import { recordInvoice } from '../store/invoices.ts';

/**
 * Records the Telegram invoice a reserved order waits for and asks for it to be sent
 * (`payment.requested`, through the outbox), once: a second `stock.reserved` of the order finds
 * the invoice recorded. Runs in the charge consumer's transaction, under the order's charge lock.
 */
export async function requestInvoice(
  em: ServiceEntityManager,
  event: EventOf<'stock.reserved'>,
  method: InvoiceMethod,
  log: Logger,
): Promise<void> {
  const order = event.data;
  const recorded = await recordInvoice(em, {
    orderId: order.orderId,
    userId: order.userId,
    method,
    amountCents: order.totalCents,
    currency: order.currency,
    items: order.items,
    correlationId: event.correlationId,
  });
  if (!recorded) {
    log.info('order already has an invoice; event ignored');
    return;
  }
  await addToOutbox(
    em,
    createEvent(
      'payment.requested',
      { ...order, method, invoicePayload: invoicePayloadOf(order.orderId) },
      { correlationId: event.correlationId },
    ),
  );
  log.info({ method }, 'invoice requested');
}

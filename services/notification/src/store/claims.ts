import {
  NO_INVOICE,
  renderInvoice,
  type InvoiceSettings,
  type PaymentMethod,
  type ServiceEntityManager,
} from '@shop/shared';
import type { Logger } from 'pino';
import type { OrderItem } from '../db/entities.ts';
import { decideDue } from '../domain/due.ts';
import {
  outcomeButtons,
  renderOrderlessRefund,
  renderOutcome,
  type MessageKind,
  type OutcomeMessage,
  type Shortage,
} from '../domain/messages.ts';
import type { MessageContent } from '../telegram/client.ts';

/** A notification claimed for sending (committed as `sending`), with its text or invoice. */
export interface OrderDelivery {
  kind: 'order';
  eventId: string;
  /** Null for a refund of money taken for no order of the shop. */
  orderId: number | null;
  userId: string;
  chatId: number;
  content: MessageContent;
  /** Deleted before this is sent: the order's invoice, which can no longer be paid. */
  replaces?: { chatId: number; messageId: number };
}

interface DueRow {
  event_id: string;
  kind: MessageKind;
  order_id: string | null;
  user_id: string;
  reason: string | null;
  shortages: Shortage[] | null;
  note: string | null;
  was_paid: boolean;
  method: PaymentMethod | null;
  invoice_payload: string | null;
  amount_cents: string | null;
  amount_currency: string | null;
  created_at: Date;
  expired: boolean;
  telegram_id: string | null;
  language_code: string | null;
  unreachable_at: Date | null;
  items: OrderItem[] | null;
  total_cents: string | null;
  currency: string | null;
  /** With an unpaid order's cancellation: the order's invoice, if one was owed. */
  invoice_status: string | null;
  invoice_chat_id: string | null;
  invoice_message_id: string | null;
  /** With an invoice: its order was cancelled or paid meanwhile. */
  order_closed: boolean;
}

const DUE = `
  select n.event_id, n.kind, n.order_id, n.user_id, n.reason, n.shortages, n.note, n.was_paid, n.method,
         n.invoice_payload, n.amount_cents, n.amount_currency, n.created_at,
         n.created_at + ? * interval '1 millisecond' <= now() as expired,
         r.telegram_id, r.language_code, r.unreachable_at, o.items, o.total_cents, o.currency,
         i.status as invoice_status, i.chat_id as invoice_chat_id, i.telegram_message_id as invoice_message_id,
         n.kind = 'payment.requested' and exists (select 1 from notifications c
           where c.order_id = n.order_id and c.kind in ('order.cancelled', 'order.paid')) as order_closed
  from notifications n
  left join recipients r on r.user_id = n.user_id
  left join order_summaries o on o.order_id = n.order_id
  left join notifications i on n.kind = 'order.cancelled' and not n.was_paid
    and i.order_id = n.order_id and i.kind = 'payment.requested'
  where n.status = 'pending' and n.next_attempt_at <= now()
  order by n.next_attempt_at
  limit ?
  for update of n skip locked`;

/** How soon a cancellation waiting for its order's invoice to be sent is looked at again. */
const RETRY_MS = 1_000;
const SCAN_LIMIT = 500;

/** What a claim needs to know: how many, how long a message may wait for its data, invoice settings. */
export interface ClaimOptions {
  limit: number;
  maxWaitMs: number;
  logger: Logger;
  invoices?: InvoiceSettings;
}

/**
 * Takes up to `limit` due notifications (several senders never take the same row: SKIP LOCKED)
 * and, in the same transaction, decides each one (`decideDue`): to be sent (committed as
 * `sending` and returned), `skipped`, put off until `maxWaitMs` after the outcome arrived, or
 * looked at again shortly (a cancellation waiting for its order's invoice to be sent, so that
 * its message can delete it).
 */
export async function claimDue(
  em: ServiceEntityManager,
  { limit, maxWaitMs, logger, invoices = {} }: ClaimOptions,
): Promise<OrderDelivery[]> {
  // Looks further than `limit`: rows still waiting for their data are put off in bulk, so a
  // crowd of them (every outcome of a buyer who never linked a chat) cannot hold sendable ones.
  const rows = await em.execute<DueRow[]>(DUE, [maxWaitMs, Math.max(limit, SCAN_LIMIT)], 'all');
  const ready: OrderDelivery[] = [];
  const skipped = new Map<string, string[]>();
  const waiting: string[] = [];
  const retrying: string[] = [];
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
      // A refund for no order of the shop has no order summary to wait for.
      summary: row.order_id === null || Boolean(items && total !== null && currency),
      expired: row.expired,
      orderClosed: row.order_closed,
      invoiceUnsettled: row.invoice_status === 'pending' || row.invoice_status === 'sending',
    });
    if (decision.action === 'skip') skip(row, decision.why);
    else if (decision.action === 'wait') waiting.push(row.event_id);
    else if (decision.action === 'retry') retrying.push(row.event_id);
    // Sendable but beyond what may be in flight: left pending for the next claim. (The row checks
    // repeat what decideDue saw, for the types.)
    else if (ready.length < limit && chat !== null) {
      // A refund for no order of the shop is told without an order summary.
      const content =
        row.order_id === null
          ? orderlessContentOf(row)
          : items && total !== null && currency
            ? contentOf(row, { items, totalCents: Number(total), currency }, invoices)
            : null;
      if (content === null) continue;
      if (!content) {
        skip(row, NO_INVOICE);
        continue;
      }
      const replaces = replacedInvoiceOf(row);
      ready.push({
        kind: 'order',
        eventId: row.event_id,
        orderId: row.order_id === null ? null : Number(row.order_id),
        userId: row.user_id,
        chatId: Number(chat),
        content,
        ...(replaces ? { replaces } : {}),
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
  if (retrying.length > 0) {
    await em.execute(
      `update notifications set next_attempt_at = now() + ? * interval '1 millisecond' where event_id in (?)`,
      [RETRY_MS, retrying],
      'run',
    );
  }
  return ready;
}

/** What a refund of money taken for no order of the shop tells the buyer; undefined for anything else. */
function orderlessContentOf(row: DueRow): MessageContent | undefined {
  if (row.kind !== 'payment.refund_pending' && row.kind !== 'payment.refunded') return undefined;
  if (row.amount_cents === null || row.amount_currency === null) return undefined;
  const text = renderOrderlessRefund({
    kind: row.kind,
    method: row.method,
    refund: { cents: Number(row.amount_cents), currency: row.amount_currency },
    languageCode: row.language_code,
  });
  return { text };
}

/** The invoice a cancellation's message deletes: the order's, when it was sent. */
function replacedInvoiceOf(row: DueRow): OrderDelivery['replaces'] {
  if (row.invoice_status !== 'sent' || row.invoice_chat_id === null || row.invoice_message_id === null)
    return undefined;
  return { chatId: Number(row.invoice_chat_id), messageId: Number(row.invoice_message_id) };
}

/**
 * What a due row shows the buyer: the invoice of its order, or the text (and buttons) of its
 * news. Undefined for an invoice that cannot be made (see `NO_INVOICE`).
 */
function contentOf(
  row: DueRow,
  summary: { items: OrderItem[]; totalCents: number; currency: string },
  invoices: InvoiceSettings,
): MessageContent | undefined {
  const orderId = Number(row.order_id);
  const languageCode = row.language_code;
  if (row.kind === 'payment.requested') {
    const { method, invoice_payload: invoicePayload } = row;
    if ((method !== 'telegram' && method !== 'stars') || invoicePayload === null) return undefined;
    const invoice = renderInvoice({ orderId, method, invoicePayload, languageCode, ...summary }, invoices);
    return invoice && { invoice };
  }
  const message: OutcomeMessage = {
    kind: row.kind,
    orderId,
    reason: row.reason,
    shortages: row.shortages,
    note: row.note,
    wasPaid: row.was_paid,
    invoiceSent: replacedInvoiceOf(row) !== undefined,
    method: row.method,
    refund:
      row.amount_cents !== null && row.amount_currency !== null
        ? { cents: Number(row.amount_cents), currency: row.amount_currency }
        : null,
    ...summary,
    languageCode,
  };
  const buttons = outcomeButtons(message);
  return { text: renderOutcome(message), ...(buttons ? { replyMarkup: buttons } : {}) };
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
         or (n.order_id is not null
           and not exists (select 1 from order_summaries o where o.order_id = n.order_id)))`,
    [maxWaitMs, eventIds],
    'run',
  );
}

/** Why an outcome was skipped; also its log line and `last_error`. */
export const BLOCKED = 'the user blocked the bot';
export const NO_CHAT = 'the user has no linked Telegram chat';
export const NO_SUMMARY = 'the order summary never arrived';
export const ORDER_CLOSED = 'the order was cancelled or paid before its invoice was sent';

/** What is known, when it comes due, about a message owed to a buyer. */
export interface DueState {
  /** The buyer linked a Telegram chat. */
  chat: boolean;
  /** That chat blocked the bot. */
  blocked: boolean;
  /** The order's summary (items, total) arrived. */
  summary: boolean;
  /** The outcome has waited as long as it may for what is missing. */
  expired: boolean;
  /** An invoice whose order was cancelled (or paid) meanwhile: it can no longer be paid. */
  orderClosed?: boolean;
  /**
   * A cancellation whose order's invoice is still pending or being sent: its message deletes the
   * invoice, so it waits until the invoice was sent (or never will be).
   */
  invoiceUnsettled?: boolean;
}

export type DueDecision =
  | { action: 'send' }
  | { action: 'wait' }
  /** Look again shortly: what it waits for is on its way. */
  | { action: 'retry' }
  | { action: 'skip'; why: string };

/**
 * What to do with an owed message: send it once its chat and order summary are known; skip it if
 * the chat blocked the bot, once its wait ran out with either still missing, or when it is an
 * invoice of an order that was closed meanwhile; look again shortly when it must follow its
 * order's invoice, still unsent; else wait (the projections make it due again as soon as the
 * data comes).
 */
export function decideDue({
  chat,
  blocked,
  summary,
  expired,
  orderClosed = false,
  invoiceUnsettled = false,
}: DueState): DueDecision {
  if (chat && blocked) return { action: 'skip', why: BLOCKED };
  if (orderClosed) return { action: 'skip', why: ORDER_CLOSED };
  if (chat && summary) return invoiceUnsettled ? { action: 'retry' } : { action: 'send' };
  if (expired) return { action: 'skip', why: chat ? NO_SUMMARY : NO_CHAT };
  return { action: 'wait' };
}

/** Why an outcome was skipped; also its log line and `last_error`. */
export const BLOCKED = 'the user blocked the bot';
export const NO_CHAT = 'the user has no linked Telegram chat';
export const NO_SUMMARY = 'the order summary never arrived';

/** What is known, when it comes due, about a payment outcome owed to a buyer. */
export interface DueState {
  /** The buyer linked a Telegram chat. */
  chat: boolean;
  /** That chat blocked the bot. */
  blocked: boolean;
  /** The order's summary (items, total) arrived. */
  summary: boolean;
  /** The outcome has waited as long as it may for what is missing. */
  expired: boolean;
}

export type DueDecision = { action: 'send' } | { action: 'wait' } | { action: 'skip'; why: string };

/**
 * What to do with an owed outcome: send it once its chat and order summary are known; skip it if
 * the chat blocked the bot, or once its wait ran out with either still missing; else wait (the
 * projections make it due again as soon as the data comes).
 */
export function decideDue({ chat, blocked, summary, expired }: DueState): DueDecision {
  if (chat && blocked) return { action: 'skip', why: BLOCKED };
  if (chat && summary) return { action: 'send' };
  if (expired) return { action: 'skip', why: chat ? NO_SUMMARY : NO_CHAT };
  return { action: 'wait' };
}

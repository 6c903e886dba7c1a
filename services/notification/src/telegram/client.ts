import { setTimeout as sleep } from 'node:timers/promises';
import { invoiceParams, type Invoice } from '@shop/shared';
import type { Logger } from 'pino';
import type { RateLimiter } from './rate-limiter.ts';

/**
 * What a message shows: text, a photo (a file_id of this bot's) with an optional caption, or an
 * invoice with Telegram's Pay button; `replyMarkup` is the Bot API's `reply_markup` (buttons under it).
 */
export type MessageContent = (
  { text: string } | { photo: string; caption: string | null } | { invoice: Invoice }
) & {
  replyMarkup?: object | undefined;
};

/**
 * How one Bot API call (`sendMessage`, `sendPhoto`, `sendInvoice`, `editMessageText`,
 * `deleteMessage`) ended. Only `sent` and `unknown` may have reached the chat; every other
 * outcome guarantees it did not, so the caller may safely try again later (`interrupted`).
 */
export type SendOutcome =
  | { status: 'sent'; messageId: number | null }
  /** 403: the user blocked the bot (or deleted the chat); retrying cannot help. */
  | { status: 'blocked'; description: string }
  /** Any other 4xx, e.g. 400 "chat not found" or a bad token. */
  | { status: 'rejected'; code: number; description: string }
  /** Every try met a 429, a 5xx or a refused connection. */
  | { status: 'gave_up'; description: string }
  /** A request went out and no answer came back (timeout, dropped socket): it may have arrived. */
  | { status: 'unknown'; description: string }
  /** Stopped (`signal`) while waiting between tries; nothing was sent. */
  | { status: 'interrupted' };

export interface TelegramClient {
  /**
   * Sends `content` (`sendMessage`, `sendPhoto` or `sendInvoice`). `turnTaken`: the caller already waited for
   * this message's first turn with `nextTurn()`.
   */
  send(
    chatId: number,
    content: MessageContent,
    signal?: AbortSignal,
    options?: { turnTaken?: boolean },
  ): Promise<SendOutcome>;
  /** Replaces the text of a message this bot sent, at the same pace and with the same retries. */
  editText(chatId: number, messageId: number, text: string, signal?: AbortSignal): Promise<SendOutcome>;
  /**
   * Deletes a message this bot sent, at the same pace and with the same retries (`sent`: gone;
   * `rejected`: Telegram would not, e.g. it is too old or gone already).
   */
  deleteMessage(
    chatId: number,
    messageId: number,
    signal?: AbortSignal,
    options?: { turnTaken?: boolean },
  ): Promise<SendOutcome>;
  /** Waits for the rate limiter's next turn, for a caller that must act right before it sends. */
  nextTurn(signal?: AbortSignal): Promise<void>;
  /** How many more sends the rate limit allows within `ms` after the turn taken last. */
  sendsWithin(ms: number): number;
  /** How long until the next send's turn is free, as far as this process knows (0: now). */
  untilNextTurn(): number;
  /** The longest one `sendMessage` can take: a claim older than this belongs to a dead process. */
  readonly maxDurationMs: number;
}

export interface TelegramClientOptions {
  /** `TELEGRAM_API_ROOT`, e.g. https://api.telegram.org. */
  apiRoot: string;
  token: string;
  limiter: RateLimiter;
  logger: Logger;
  timeoutMs: number;
  maxAttempts: number;
  /** First backoff after a 5xx or a refused connection; doubles each try up to `maxRetryDelayMs`. */
  retryBaseDelayMs?: number;
  maxRetryDelayMs?: number;
  /** A `retry_after` longer than this is not waited for in memory: the message gives up. */
  maxRetryAfterMs?: number;
}

interface BotApiAnswer {
  ok?: boolean;
  description?: string;
  result?: { message_id?: number };
  parameters?: { retry_after?: number };
}

/** Errors fetch raises before a byte of the request left: the Bot API cannot have acted on it. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** The Bot API method and parameters that show `content` in `chatId`. */
function requestOf(chatId: number, content: MessageContent): [string, Record<string, unknown>] {
  const buttons = content.replyMarkup ? { reply_markup: content.replyMarkup } : {};
  if ('text' in content)
    return [
      'sendMessage',
      { chat_id: chatId, text: content.text, link_preview_options: { is_disabled: true }, ...buttons },
    ];
  if ('invoice' in content) {
    return ['sendInvoice', { chat_id: chatId, ...invoiceParams(content.invoice), ...buttons }];
  }
  return [
    'sendPhoto',
    {
      chat_id: chatId,
      photo: content.photo,
      ...(content.caption ? { caption: content.caption } : {}),
      ...buttons,
    },
  ];
}

/**
 * A minimal Bot API client for sending and editing messages over fetch. Every request waits for
 * the shared rate limiter. 429 waits `retry_after` (pausing all sends, since Telegram throttles the whole bot)
 * and tries again; 5xx and refused connections back off exponentially; tries are bounded by
 * `maxAttempts`. A request left unanswered is never repeated: Telegram has no idempotency key,
 * and a second message is worse than a missing one here.
 */
export function createTelegramClient(options: TelegramClientOptions): TelegramClient {
  const { limiter, timeoutMs, maxAttempts } = options;
  const baseDelayMs = options.retryBaseDelayMs ?? 500;
  const maxDelayMs = options.maxRetryDelayMs ?? 30_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const base = `${options.apiRoot.replace(/\/+$/, '')}/bot${options.token}`;
  const log = options.logger.child({ component: 'telegram' });

  const post = async (method: string, body: Record<string, unknown>) => {
    const response = await fetch(`${base}/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answer = (await response.json().catch(() => ({}))) as BotApiAnswer;
    return { code: response.status, answer };
  };

  const call = async (
    method: string,
    body: Record<string, unknown>,
    signal: AbortSignal | undefined,
    turnTaken: boolean,
  ): Promise<SendOutcome> => {
    const chatId = body.chat_id;
    let lastProblem = 'no try made';
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      try {
        // A turn taken ahead counts from this send, or a slow claim before it would let two
        // sends out closer together than the limit.
        if (attempt > 1 || !turnTaken) await limiter.take(signal);
        else limiter.usedNow();
      } catch {
        return { status: 'interrupted' };
      }
      // 429 needs no sleep here: pausing the limiter makes the next take() (everyone's) wait.
      let backoff = true;
      try {
        const { code, answer } = await post(method, body);
        const description = answer.description ?? `HTTP ${code}`;
        if (code >= 200 && code < 300)
          return { status: 'sent', messageId: answer.result?.message_id ?? null };
        if (code === 403) return { status: 'blocked', description };
        if (code === 429) {
          const retryAfterMs = (answer.parameters?.retry_after ?? 1) * 1_000;
          if (retryAfterMs > maxRetryAfterMs)
            return {
              status: 'gave_up',
              description: `${description} (retry_after ${retryAfterMs / 1000} s)`,
            };
          limiter.pauseFor(retryAfterMs);
          backoff = false;
        } else if (code < 500) {
          return { status: 'rejected', code, description };
        }
        lastProblem = description;
      } catch (error) {
        const code = errorCode(error);
        if (!code || !NOT_CONNECTED.has(code)) {
          return {
            status: 'unknown',
            description: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          };
        }
        lastProblem = code;
      }
      if (attempt === maxAttempts) break;
      // Jitter spreads the retries of many messages that failed at once.
      const delayMs = backoff
        ? Math.min(baseDelayMs * 2 ** (attempt - 1), maxDelayMs) * (0.75 + Math.random() * 0.25)
        : 0;
      log.warn(
        { chatId, attempt, delayMs: Math.round(delayMs), problem: lastProblem },
        `${method} failed; trying again`,
      );
      try {
        await sleep(delayMs, undefined, { signal });
      } catch {
        return { status: 'interrupted' };
      }
    }
    return { status: 'gave_up', description: `${lastProblem} after ${maxAttempts} tries` };
  };

  return {
    send: (chatId, content, signal, { turnTaken = false } = {}) =>
      call(...requestOf(chatId, content), signal, turnTaken),
    editText: (chatId, messageId, text, signal) =>
      call(
        'editMessageText',
        { chat_id: chatId, message_id: messageId, text, link_preview_options: { is_disabled: true } },
        signal,
        false,
      ),
    deleteMessage: (chatId, messageId, signal, { turnTaken = false } = {}) =>
      call('deleteMessage', { chat_id: chatId, message_id: messageId }, signal, turnTaken),
    nextTurn: (signal) => limiter.take(signal),
    sendsWithin: (ms) => limiter.turnsWithin(ms),
    untilNextTurn: () => limiter.untilNextTurn(),
    maxDurationMs: maxAttempts * (timeoutMs + Math.max(maxDelayMs, maxRetryAfterMs)),
  };
}

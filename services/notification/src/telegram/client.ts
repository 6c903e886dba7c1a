import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { RateLimiter } from './rate-limiter.ts';

/**
 * How one `sendMessage` ended. Only `sent` and `unknown` may have reached the chat; every other
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
   * `turnTaken`: the caller already waited for this message's first turn with `nextTurn()`;
   * `replyMarkup`: the Bot API's `reply_markup` (buttons under the message).
   */
  sendMessage(
    chatId: number,
    text: string,
    signal?: AbortSignal,
    options?: { turnTaken?: boolean; replyMarkup?: object | undefined },
  ): Promise<SendOutcome>;
  /** Waits for the rate limiter's next turn, for a caller that must act right before it sends. */
  nextTurn(signal?: AbortSignal): Promise<void>;
  /** How many more sends the rate limit allows within `ms` after the turn taken last. */
  sendsWithin(ms: number): number;
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

/**
 * A minimal Bot API client for `sendMessage` over fetch. Every request waits for the shared rate
 * limiter. 429 waits `retry_after` (pausing all sends, since Telegram throttles the whole bot)
 * and tries again; 5xx and refused connections back off exponentially; tries are bounded by
 * `maxAttempts`. A request left unanswered is never repeated: Telegram has no idempotency key,
 * and a second message is worse than a missing one here.
 */
export function createTelegramClient(options: TelegramClientOptions): TelegramClient {
  const { limiter, timeoutMs, maxAttempts } = options;
  const baseDelayMs = options.retryBaseDelayMs ?? 500;
  const maxDelayMs = options.maxRetryDelayMs ?? 30_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const url = `${options.apiRoot.replace(/\/+$/, '')}/bot${options.token}/sendMessage`;
  const log = options.logger.child({ component: 'telegram' });

  const post = async (chatId: number, text: string, replyMarkup: object | undefined) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        chat_id: chatId,
        text,
        link_preview_options: { is_disabled: true },
        ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answer = (await response.json().catch(() => ({}))) as BotApiAnswer;
    return { code: response.status, answer };
  };

  const sendMessage: TelegramClient['sendMessage'] = async (
    chatId,
    text,
    signal,
    { turnTaken, replyMarkup } = {},
  ) => {
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
        const { code, answer } = await post(chatId, text, replyMarkup);
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
        'sendMessage failed; trying again',
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
    sendMessage,
    nextTurn: (signal) => limiter.take(signal),
    sendsWithin: (ms) => limiter.turnsWithin(ms),
    maxDurationMs: maxAttempts * (timeoutMs + Math.max(maxDelayMs, maxRetryAfterMs)),
  };
}

/** Telegram refused a Bot API call: what it was, and what Telegram said (as grammY's `GrammyError`). */
export class TelegramApiError extends Error {
  readonly method: string;
  readonly errorCode: number;
  readonly description: string;
  /** With 429: how long Telegram asks to wait. */
  readonly retryAfterSeconds: number | undefined;

  constructor(method: string, errorCode: number, description: string, retryAfterSeconds?: number) {
    super(`${method}: ${errorCode} ${description}`);
    this.name = 'TelegramApiError';
    this.method = method;
    this.errorCode = errorCode;
    this.description = description;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The Bot API call the Stars refund worker makes. */
export interface StarRefundApi {
  /**
   * Gives a Stars payment back to the user who paid it. Resolves when Telegram did; throws
   * `TelegramApiError` when Telegram refused, anything else when it did not answer.
   */
  refundStarPayment(userId: number, telegramPaymentChargeId: string): Promise<void>;
}

/** The Bot API calls the payment service makes. */
export interface PaymentBotApi extends StarRefundApi {
  /**
   * `createInvoiceLink` with the invoice's fields (`invoiceParams`): the link a Mini App opens the
   * invoice by. Throws `TelegramApiError` when Telegram refused, anything else when it did not answer.
   */
  createInvoiceLink(invoice: Record<string, unknown>): Promise<string>;
}

export interface BotApiOptions {
  token: string;
  /** TELEGRAM_API_ROOT: Telegram's, or the local sandbox's. */
  apiRoot: string;
  /** Injected by tests that fake Telegram. */
  fetch?: typeof fetch;
  /** A call unanswered this long is abandoned (and tried again later). */
  timeoutMs?: number;
  /** An invoice link a buyer waits for is given up on sooner: the storefront waits 5 s in all. */
  linkTimeoutMs?: number;
}

interface BotApiAnswer {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

/** A Bot API client for `refundStarPayment` and `createInvoiceLink`, through `apiRoot` with the bot's token. */
export function createBotApi({
  token,
  apiRoot,
  fetch = globalThis.fetch,
  timeoutMs = 10_000,
  linkTimeoutMs = 4_000,
}: BotApiOptions): PaymentBotApi {
  const call = async (method: string, body: Record<string, unknown>, ms = timeoutMs): Promise<unknown> => {
    const res = await fetch(`${apiRoot.replace(/\/+$/, '')}/bot${token}/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(ms),
    });
    const answer = (await res.json().catch(() => ({ ok: false }))) as BotApiAnswer;
    if (!answer.ok) {
      throw new TelegramApiError(
        method,
        answer.error_code ?? res.status,
        answer.description ?? res.statusText,
        answer.parameters?.retry_after,
      );
    }
    return answer.result;
  };
  return {
    async refundStarPayment(userId, telegramPaymentChargeId) {
      await call('refundStarPayment', {
        user_id: userId,
        telegram_payment_charge_id: telegramPaymentChargeId,
      });
    },
    async createInvoiceLink(invoice) {
      const link = await call('createInvoiceLink', invoice, linkTimeoutMs);
      if (typeof link !== 'string') throw new Error('createInvoiceLink answered without a link');
      return link;
    },
  };
}

import { randomInt } from 'node:crypto';

/** Telegram's limit: a pre-checkout query not answered within 10 s fails the payment. */
export const PRE_CHECKOUT_TIMEOUT_MS = 10_000;

/** A pre_checkout_query sent to the bot, and how (or whether) it was answered. */
export interface PreCheckoutRecord {
  id: string;
  chatId: number;
  currency: string;
  totalAmount: number;
  invoicePayload: string;
  /** ms since the epoch. */
  sentAt: number;
  state: 'pending' | 'answered' | 'expired';
  answeredAt?: number;
  ok?: boolean;
  errorMessage?: string;
}

export type PreCheckoutAnswer = { ok: true } | { ok: false; errorMessage: string } | { expired: true };

/**
 * Pre-checkout queries by id: each may be answered once, within the time limit; after it, or
 * once answered, answerPreCheckoutQuery is refused as Telegram refuses it.
 */
export class PreCheckoutQueries {
  readonly #records = new Map<string, PreCheckoutRecord>();
  readonly #waiting = new Map<string, (answer: PreCheckoutAnswer) => void>();
  timeoutMs: number;

  constructor(timeoutMs = PRE_CHECKOUT_TIMEOUT_MS) {
    this.timeoutMs = timeoutMs;
  }

  /** A new query; `answer` settles when the bot answers or the time limit passes. */
  open(input: Omit<PreCheckoutRecord, 'id' | 'sentAt' | 'state'>): {
    record: PreCheckoutRecord;
    answer: Promise<PreCheckoutAnswer>;
  } {
    let id: string;
    do id = `${randomInt(1e9, 1e10)}${randomInt(1e8, 1e9)}`;
    while (this.#records.has(id));
    const record: PreCheckoutRecord = { id, ...input, sentAt: Date.now(), state: 'pending' };
    this.#records.set(id, record);
    const answer = new Promise<PreCheckoutAnswer>((resolve) => {
      const timer = setTimeout(() => this.#expire(id), this.timeoutMs);
      this.#waiting.set(id, (result) => {
        clearTimeout(timer);
        this.#waiting.delete(id);
        resolve(result);
      });
    });
    return { record, answer };
  }

  /** The bot's answer; false when the query is unknown, already answered or expired. */
  answer(id: string, answer: { ok: true } | { ok: false; errorMessage: string }): boolean {
    const record = this.#records.get(id);
    const settle = this.#waiting.get(id);
    if (!record || !settle) return false;
    record.state = 'answered';
    record.answeredAt = Date.now();
    record.ok = answer.ok;
    if (!answer.ok) record.errorMessage = answer.errorMessage;
    settle(answer);
    return true;
  }

  get(id: string): PreCheckoutRecord | undefined {
    return this.#records.get(id);
  }

  list(chatId?: number): PreCheckoutRecord[] {
    const all = [...this.#records.values()];
    return chatId === undefined ? all : all.filter((record) => record.chatId === chatId);
  }

  /** Ends every waiting query as expired (a reset, or the sandbox stopping), then forgets them all. */
  clear(): void {
    for (const id of [...this.#waiting.keys()]) this.#expire(id);
    this.#records.clear();
  }

  #expire(id: string): void {
    const record = this.#records.get(id);
    if (record) record.state = 'expired';
    this.#waiting.get(id)?.({ expired: true });
  }
}

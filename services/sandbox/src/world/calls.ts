/** One Bot API request as the sandbox received and answered it. */
export interface RecordedCall {
  seq: number;
  /** Arrival, ms since the epoch. */
  at: number;
  method: string;
  params: Record<string, unknown>;
  ok: boolean;
  errorCode?: number;
  description?: string;
  /** The chat the call was about (chat_id, or the chat of the answered callback query). */
  chatId?: number;
}

// A sandbox left running for days must not grow without bound; tests look at recent calls.
const MAX_CALLS = 10_000;

/** Every Bot API call, for tests: how many messages a chat got, whether each query was answered. */
export class CallLog {
  #calls: RecordedCall[] = [];
  #seq = 0;

  record(call: Omit<RecordedCall, 'seq'>): RecordedCall {
    const recorded = { seq: ++this.#seq, ...call };
    this.#calls.push(recorded);
    if (this.#calls.length > MAX_CALLS) this.#calls.splice(0, this.#calls.length - MAX_CALLS);
    return recorded;
  }

  list(filter: { method?: string; chatId?: number } = {}): RecordedCall[] {
    const method = filter.method?.toLowerCase();
    return this.#calls.filter(
      (call) =>
        (method === undefined || call.method.toLowerCase() === method) &&
        (filter.chatId === undefined || call.chatId === filter.chatId),
    );
  }

  clear(): void {
    this.#calls = [];
  }
}

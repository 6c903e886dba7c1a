/**
 * Telegram's flood control, on demand: the next `calls` Bot API calls about a chat are answered
 * 429 with `retry_after`, as Telegram answers a bot that sends too fast.
 */
export class Throttle {
  #calls = 0;
  #retryAfter = 1;

  set(calls: number, retryAfter: number): void {
    this.#calls = calls;
    this.#retryAfter = retryAfter;
  }

  /** The retry_after to answer this call with, or undefined to let it through. */
  take(): number | undefined {
    if (this.#calls === 0) return undefined;
    this.#calls -= 1;
    return this.#retryAfter;
  }

  clear(): void {
    this.#calls = 0;
  }
}

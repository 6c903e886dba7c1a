import type { Update } from 'grammy/types';

export type UpdateType = Exclude<keyof Update, 'update_id'>;
export type NewUpdate = {
  [K in UpdateType]: Pick<Update, K> & Record<K, NonNullable<Update[K]>>;
}[UpdateType];

/** How a getUpdates call ends: with updates (maybe none), or pushed aside by another caller. */
export type PollResult = { updates: Update[] } | { conflict: 'terminated' | 'webhook' };

interface Waiter {
  limit: number;
  finish: (result: PollResult) => void;
}

// Telegram leaves these out unless a bot asks for them by name.
const notByDefault = new Set<UpdateType>(['chat_member', 'message_reaction', 'message_reaction_count']);

/**
 * The bot's pending updates, shared by every token and every bot process (as on Telegram):
 * kept until a getUpdates offset confirms them or a webhook answers 2xx.
 */
export class UpdateQueue {
  // Starts from the clock so ids keep growing across sandbox restarts: a bot that outlives the
  // sandbox still holds an offset, and an offset above the new ids would swallow them.
  #nextId = Math.floor(Date.now() / 1000);
  #pending: Update[] = [];
  #allowed: UpdateType[] | undefined;
  #waiter: Waiter | undefined;
  /** Called after each new update, for the webhook deliverer. */
  onPush: () => void = () => undefined;

  get size(): number {
    return this.#pending.length;
  }

  /** Whether a getUpdates call is being held open right now. */
  get polling(): boolean {
    return this.#waiter !== undefined;
  }

  get allowed(): UpdateType[] | undefined {
    return this.#allowed;
  }

  /** Remembers which update types to create from now on; an empty list means the default. */
  setAllowed(types: UpdateType[] | undefined): void {
    if (types !== undefined) this.#allowed = types.length > 0 ? types : undefined;
  }

  /** Queues an update if the bot wants its type; returns it with its id, or undefined if filtered out. */
  push(update: NewUpdate): Update | undefined {
    const type = Object.keys(update)[0] as UpdateType;
    const wanted = this.#allowed ? this.#allowed.includes(type) : !notByDefault.has(type);
    if (!wanted) return undefined;
    const queued = { update_id: this.#nextId++, ...update } as Update;
    this.#pending.push(queued);
    if (this.#waiter) this.#answer(this.#waiter);
    this.onPush();
    return queued;
  }

  /** Forgets updates below `offset`; a negative offset keeps only the last -offset updates. */
  confirm(offset: number): void {
    if (offset < 0) this.#pending = this.#pending.slice(offset);
    else if (offset > 0) this.#pending = this.#pending.filter((update) => update.update_id >= offset);
  }

  peek(): Update | undefined {
    return this.#pending[0];
  }

  remove(updateId: number): void {
    this.#pending = this.#pending.filter((update) => update.update_id !== updateId);
  }

  clear(): void {
    this.#pending = [];
  }

  /**
   * A getUpdates call: answers at once if updates are pending, else holds up to `timeoutMs`.
   * A newer call ends the older one with a conflict, as Telegram does.
   */
  poll({ limit, timeoutMs, signal }: { limit: number; timeoutMs: number; signal?: AbortSignal }) {
    this.#waiter?.finish({ conflict: 'terminated' });
    return new Promise<PollResult>((resolve) => {
      const timing: { timer?: NodeJS.Timeout } = {};
      const waiter: Waiter = {
        limit,
        finish: (result) => {
          clearTimeout(timing.timer);
          signal?.removeEventListener('abort', onAbort);
          if (this.#waiter === waiter) this.#waiter = undefined;
          resolve(result);
        },
      };
      // A client that hung up gets nothing: its updates stay queued for the next call.
      const onAbort = () => waiter.finish({ updates: [] });
      if (signal?.aborted) return waiter.finish({ updates: [] });
      if (this.#pending.length > 0 || timeoutMs <= 0) return this.#answer(waiter);
      this.#waiter = waiter;
      timing.timer = setTimeout(() => waiter.finish({ updates: [] }), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Ends a held getUpdates call (a webhook was set, or the sandbox stops). */
  release(result: PollResult = { updates: [] }): void {
    this.#waiter?.finish(result);
  }

  #answer(waiter: Waiter): void {
    waiter.finish({ updates: this.#pending.slice(0, waiter.limit) });
  }
}

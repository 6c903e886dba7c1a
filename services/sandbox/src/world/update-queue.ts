import type { Update } from 'grammy/types';

export type UpdateType = Exclude<keyof Update, 'update_id'>;
export type NewUpdate = {
  [K in UpdateType]: Pick<Update, K> & Record<K, NonNullable<Update[K]>>;
}[UpdateType];

/** How a getUpdates call ends: with updates (maybe none), or pushed aside by another caller. */
export type PollResult = { updates: Update[] } | { conflict: 'terminated' | 'webhook' };

/** A queued update; a redelivered one is kept until it has been handed out once. */
export interface Pending {
  update: Update;
  redelivered: boolean;
  handedOut: boolean;
}

interface Waiter {
  limit: number;
  finish: (result: PollResult) => void;
}

// Telegram leaves these out unless a bot asks for them by name.
const notByDefault = new Set<UpdateType>(['chat_member', 'message_reaction', 'message_reaction_count']);
// Updates kept for redelivery; tests look at recent ones.
const MAX_HISTORY = 10_000;

/**
 * The bot's pending updates, shared by every token and every bot process (as on Telegram):
 * kept until a getUpdates offset above their id confirms them or a webhook answers 2xx, so a bot
 * restarted before confirming gets them again.
 */
export class UpdateQueue {
  // Starts from the clock so ids keep growing across sandbox restarts: a bot that outlives the
  // sandbox still holds an offset, and an offset above the new ids would swallow them.
  #nextId = Math.floor(Date.now() / 1000);
  #pending: Pending[] = [];
  readonly #history = new Map<number, Update>();
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
    this.#history.set(queued.update_id, queued);
    const oldest = this.#history.keys().next().value;
    if (this.#history.size > MAX_HISTORY && oldest !== undefined) this.#history.delete(oldest);
    this.#enqueue({ update: queued, redelivered: false, handedOut: false });
    return queued;
  }

  /**
   * Queues an earlier update again, with its own update_id, as Telegram does when it was not
   * confirmed (a bot that died, a webhook that timed out). It goes before newer updates and, for
   * getUpdates, stays until it has been handed out once, whatever offset came before.
   */
  redeliver(updateId: number): Update | undefined {
    const update = this.#history.get(updateId);
    if (!update) return undefined;
    const at = this.#pending.findIndex((entry) => entry.update.update_id > updateId);
    const entry = { update, redelivered: true, handedOut: false };
    if (at < 0) this.#pending.push(entry);
    else this.#pending.splice(at, 0, entry);
    this.#wake();
    return update;
  }

  /** Recent updates, oldest first, and whether each is still waiting to be confirmed. */
  history(): { update: Update; pending: boolean }[] {
    const pending = new Set(this.#pending.map((entry) => entry.update.update_id));
    return [...this.#history.values()].map((update) => ({ update, pending: pending.has(update.update_id) }));
  }

  /** Forgets updates below `offset`; a negative offset keeps only the last -offset updates. */
  confirm(offset: number): void {
    if (offset < 0) this.#pending = this.#pending.slice(offset);
    else if (offset > 0) {
      this.#pending = this.#pending.filter(
        (entry) => entry.update.update_id >= offset || (entry.redelivered && !entry.handedOut),
      );
    }
  }

  peek(): Pending | undefined {
    return this.#pending[0];
  }

  remove(entry: Pending): void {
    this.#pending = this.#pending.filter((pending) => pending !== entry);
  }

  clear(): void {
    this.#pending = [];
    this.#history.clear();
  }

  /** Drops pending updates (drop_pending_updates); they stay in the history. */
  drop(): void {
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

  #enqueue(entry: Pending): void {
    this.#pending.push(entry);
    this.#wake();
  }

  #wake(): void {
    if (this.#waiter) this.#answer(this.#waiter);
    this.onPush();
  }

  #answer(waiter: Waiter): void {
    const entries = this.#pending.slice(0, waiter.limit);
    for (const entry of entries) entry.handedOut = true;
    waiter.finish({ updates: entries.map((entry) => entry.update) });
  }
}

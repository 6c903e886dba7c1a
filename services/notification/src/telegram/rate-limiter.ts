import { setTimeout as sleep } from 'node:timers/promises';

/** Paces calls to the Bot API; shared by every message this process sends. */
export interface RateLimiter {
  /** Resolves when the caller may send one message; rejects if `signal` aborts first. */
  take(signal?: AbortSignal): Promise<void>;
  /** Holds every sender back for `ms` (Telegram answered 429 with `retry_after`). */
  pauseFor(ms: number): void;
  /** The turn taken last is used only now (its caller had work to do first): the next one counts from now. */
  usedNow(): void;
  /** How many more turns fall within `ms` after the one taken last (none while paused). */
  turnsWithin(ms: number): number;
  /** How long until the next turn is free, as far as this process knows (0: now). */
  untilNextTurn(): number;
}

/**
 * The time between two turns: `1000 / perSecond` ms, rounded up to a whole ms (34 ms for 30/s)
 * and at least 1 % more (101 ms for 10/s, 1.01 ms for 1 000/s). The margin keeps sends that
 * leave right on their turns from fitting one more than the limit into a second once network
 * jitter moves a few of them closer together.
 */
export const turnIntervalMs = (perSecond: number): number =>
  Math.max(Math.ceil(1_000 / perSecond), (1_000 / perSecond) * 1.01);

/**
 * A token bucket holding one token, refilled `turnIntervalMs` after the previous token was
 * actually handed out. A bucket of one rather than
 * of `perSecond`: a full bucket allows a burst of 30 right before the next 30, i.e. 60 inside
 * one second. Measuring from the real hand-out time, not a precomputed schedule, keeps a timer
 * that fires late (a busy event loop) from squeezing the following sends together; the rounding
 * leaves ~20 ms a second for network jitter before Telegram's own count could pass the limit.
 * Callers are served one at a time in call order.
 */
export function createRateLimiter({
  perSecond,
  now = () => performance.now(),
}: {
  perSecond: number;
  now?: () => number;
}): RateLimiter {
  const intervalMs = turnIntervalMs(perSecond);
  let lastGrantAt = -Infinity;
  let pausedUntil = 0;
  let queue: Promise<void> = Promise.resolve();
  return {
    take(signal) {
      const turn = queue.then(async () => {
        signal?.throwIfAborted();
        // A loop, since pauseFor() may move the target while we sleep.
        for (
          let wait = Math.max(lastGrantAt + intervalMs, pausedUntil) - now();
          wait > 0;
          wait = Math.max(lastGrantAt + intervalMs, pausedUntil) - now()
        ) {
          await sleep(wait, undefined, { signal });
        }
        lastGrantAt = now();
      });
      queue = turn.catch(() => {});
      return turn;
    },
    pauseFor(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
    usedNow() {
      lastGrantAt = Math.max(lastGrantAt, now());
    },
    turnsWithin(ms) {
      return pausedUntil > now() ? 0 : Math.floor(ms / intervalMs);
    },
    untilNextTurn() {
      return Math.max(0, Math.max(lastGrantAt + intervalMs, pausedUntil) - now());
    },
  };
}

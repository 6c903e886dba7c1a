import { eventually } from './eventually.ts';

/** A harmless piece of work that follows the work under test down the same path. */
export interface Sentinel {
  /** Puts the sentinel behind what the test did: on the same queue, outbox or sender. */
  send: () => unknown;
  /** Throws until the sentinel's effect is visible. */
  handled: () => unknown;
}

/**
 * "Nothing more happens" without a sleep: sends `sentinel` after the work under test and waits
 * until it has been handled. What one consumer takes it applies in order (batches one after
 * another; a sender claims the oldest due row first; a relay publishes its outbox in order), so
 * once the sentinel's effect shows, everything queued before it has had its effect too, and the
 * test asserts what did NOT happen right after. Passing only because the system is slow is no
 * longer possible: a slow system makes the sentinel late, not the assertion early.
 */
export async function afterSentinel(sentinel: Sentinel, timeoutMs = 10_000): Promise<void> {
  await sentinel.send();
  await eventually(sentinel.handled, timeoutMs);
}

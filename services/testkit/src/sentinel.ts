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
 * until it has been handled, so the test asserts what did NOT happen right after. It proves
 * what came before it only where the path keeps order: a consumer with `batchSize` applies its
 * batches one after another, a sender claims the oldest due row first, a relay publishes its
 * outbox oldest first. A consumer without `batchSize`, or two replicas on one queue, may apply
 * messages side by side: wait for each copy's own sign first (its inbox row, its log line).
 * A slow system makes the sentinel late, never the assertion early.
 */
export async function afterSentinel(sentinel: Sentinel, timeoutMs = 10_000): Promise<void> {
  await sentinel.send();
  await eventually(sentinel.handled, timeoutMs);
}

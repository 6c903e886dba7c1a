import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { EventType } from './contracts.ts';
import type { Delivery, InboxApplier } from './inbox-apply.ts';

interface BatcherOptions<T extends EventType> {
  batchSize: number;
  gatherMs: number;
  /** The delivery's event, or undefined once a malformed one has been dead-lettered. */
  parse: (from: Channel, message: ConsumeMessage) => Promise<Delivery<T> | undefined>;
  applier: InboxApplier<T>;
}

export interface Batcher {
  /** Hands a delivery on; a promise when this call started applying (it settles once all wait no more). */
  receive(from: Channel, message: ConsumeMessage): Promise<void> | undefined;
  /** Cuts a gathering wait short and applies what waits without waiting for more. */
  stop(): void;
}

/**
 * Collects deliveries that arrive together and applies them in batches of up to `batchSize`,
 * one batch at a time and in delivery order. With `gatherMs`, a batch that is not full waits that
 * long for more (a full one, or a stop, ends the wait at once).
 */
export function createBatcher<T extends EventType>(options: BatcherOptions<T>): Batcher {
  const { batchSize, gatherMs, parse, applier } = options;
  const waiting: { from: Channel; message: ConsumeMessage }[] = [];
  let draining = false;
  let stopping = false;
  /** Set while a batch gathers: `receive` calls it once the batch is full. */
  let gathered: (() => void) | undefined;

  const gather = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, gatherMs);
      function done() {
        clearTimeout(timer);
        gathered = undefined;
        resolve();
      }
      gathered = done;
    });

  const drain = async () => {
    draining = true;
    try {
      // The deliveries of one read from the socket arrive in one turn: let them all in first.
      await nextTurn();
      while (waiting.length > 0) {
        if (gatherMs > 0 && waiting.length < batchSize && !stopping) await gather();
        const deliveries: Delivery<T>[] = [];
        for (const { from, message } of waiting.splice(0, batchSize)) {
          const delivery = await parse(from, message);
          if (delivery) deliveries.push(delivery);
        }
        const [only] = deliveries;
        if (deliveries.length > 1) await applier.applyBatch(deliveries);
        else if (only) await applier.applyOne(only);
      }
    } finally {
      draining = false;
    }
  };

  return {
    receive(from, message) {
      waiting.push({ from, message });
      if (waiting.length >= batchSize) gathered?.();
      return draining ? undefined : drain();
    },
    stop() {
      stopping = true;
      gathered?.();
    },
  };
}

import {
  createConcurrentSink,
  createRunner,
  createSource,
  type RunnerHandle,
  type UpdateSupplier,
} from '@grammyjs/runner';
import type { Logger } from '@shop/shared';
import { type BotError, GrammyError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Redis } from 'ioredis';
import type { ShopBot } from './bot.ts';
import type { BotContext } from './context.ts';
import { isPaymentUpdate, PaymentNotRecordedError } from './payments/record.ts';
import { pause } from './payments/waits.ts';

export interface PaymentSafeOptions {
  redis: Redis;
  /** The bot's Redis key prefix: handled update ids live under `<prefix>update:`. */
  keyPrefix: string;
  logger: Logger;
  /** Updates handled at once, across users (the runner's default). */
  concurrency?: number;
  /** While a payment is held, how long to wait before asking Telegram again when it only repeats. */
  holdPauseMs?: number;
}

// Telegram keeps an unconfirmed update for 24 hours: a mark must outlive it.
const HANDLED_TTL_SECONDS = 25 * 3_600;
const MAX_FETCH_RETRY_MS = 30_000;

/**
 * Long polling that never confirms an unrecorded payment. `getUpdates` confirms every update
 * below its `offset`, and the runner asks for the next batch while the last one is still being
 * handled; a bot killed then would lose a `successful_payment` it was recording. Here the offset
 * stays at the oldest `successful_payment` not yet recorded, so Telegram keeps it (and delivers it
 * again after a restart), while updates after it keep being fetched and handled concurrently:
 * - Telegram then repeats what the held offset keeps: those already handled are skipped, by
 *   memory within this process and, for a restart, by a mark in Redis (`<prefix>update:<id>`, with
 *   a TTL) written when an update is handled behind a held payment, and for a payment only once
 *   recorded;
 * - while a payment is held Telegram answers at once, so the poll pauses `holdPauseMs` when the
 *   answer holds nothing new, and asks again as soon as the payment is recorded.
 * Telegram answers at most 100 updates from the offset: a payment held that long (the payment
 * service down) holds the whole bot after 100 more updates, until it is recorded.
 * The state outlives a runner: `startPolling` makes a new runner after Telegram's refusals.
 */
export function paymentSafeUpdates(bot: ShopBot, options: PaymentSafeOptions) {
  const { redis, keyPrefix, logger, concurrency = 500, holdPauseMs = 200 } = options;
  const key = (updateId: number) => `${keyPrefix}update:${updateId}`;
  /** Payments fetched and not recorded yet: the offset never passes the lowest. */
  const holding = new Set<number>();
  /** Updates this process has dispatched (and not failed to record) at or above the offset. */
  const seen = new Set<number>();
  const inFlight = new Set<Promise<void>>();
  const state = { nextOffset: 0, wake: new AbortController() };

  const offset = () => (holding.size > 0 ? Math.min(...holding) : state.nextOffset);

  /** Updates of `batch` not handled before (here or, before a restart, by another process). */
  async function unhandled(batch: Update[]): Promise<Update[]> {
    const candidates = batch.filter((update) => !seen.has(update.update_id));
    if (candidates.length === 0) return [];
    const lowestHold = Math.min(
      ...holding,
      ...candidates.filter(isPaymentUpdate).map((update) => update.update_id),
    );
    // Behind a held payment Telegram may repeat an update, also to the next process: marked now.
    // A payment is only looked up here; it is marked once recorded (`consume`).
    const marks = candidates.map((update) => !isPaymentUpdate(update) && update.update_id > lowestHold);
    const pipeline = redis.pipeline();
    for (const [index, { update_id: id }] of candidates.entries()) {
      if (marks[index]) pipeline.set(key(id), '1', 'EX', HANDLED_TTL_SECONDS, 'NX');
      else pipeline.exists(key(id));
    }
    let handled: boolean[];
    try {
      const results = (await pipeline.exec()) ?? [];
      handled = results.map(([error, value], index) => {
        if (error) throw error;
        // `SET NX` answers OK when the mark is new, null when it was there; EXISTS answers 1 or 0.
        return marks[index] ? value === null : value === 1;
      });
    } catch (error) {
      logger.warn({ err: error }, 'could not read handled updates from Redis; handling the batch');
      handled = candidates.map(() => false);
    }
    const fresh = candidates.filter((_, index) => !handled[index]);
    for (const update of fresh) {
      seen.add(update.update_id);
      if (isPaymentUpdate(update)) holding.add(update.update_id);
    }
    return fresh;
  }

  async function getUpdates(limit: number, runnerSignal: RunnerSignal): Promise<Update[]> {
    const signal = nativeSignal(runnerSignal);
    let retryMs = 100;
    for (;;) {
      try {
        const args = { offset: offset(), limit: Math.max(1, Math.min(limit, 100)), timeout: 30 };
        for (const id of seen) if (id < args.offset) seen.delete(id);
        return await bot.api.getUpdates(args, runnerSignal);
      } catch (error) {
        // Telegram's refusals end this runner: startPolling says why and starts another.
        if (signal.aborted || isRefusal(error)) throw error;
        const retryAfter = error instanceof GrammyError ? error.parameters.retry_after : undefined;
        await pause(retryAfter === undefined ? retryMs : retryAfter * 1_000, signal);
        retryMs = Math.min(retryMs * 2, MAX_FETCH_RETRY_MS);
      }
    }
  }

  const supplier: UpdateSupplier<Update> = {
    async supply(batchSize, runnerSignal) {
      const signal = nativeSignal(runnerSignal);
      await bot.init();
      for (;;) {
        const batch = await getUpdates(batchSize, runnerSignal);
        const last = batch.at(-1)?.update_id;
        if (last !== undefined) state.nextOffset = Math.max(state.nextOffset, last + 1);
        const fresh = await unhandled(batch);
        if (fresh.length > 0 || holding.size === 0 || signal.aborted) return fresh;
        // Only repeats behind a held payment: wait for it to be recorded, or a moment.
        await pause(holdPauseMs, AbortSignal.any([signal, state.wake.signal]));
      }
    },
  };

  /** A payment is marked handled and its hold let go only once it is recorded. */
  async function consume(update: Update): Promise<void> {
    const id = update.update_id;
    if (!isPaymentUpdate(update)) return bot.handleUpdate(update);
    try {
      await bot.handleUpdate(update);
    } catch (error) {
      // Still held: Telegram repeats it, and the repeat is dispatched again.
      seen.delete(id);
      throw error;
    }
    await redis
      .set(key(id), '1', 'EX', HANDLED_TTL_SECONDS)
      .catch((error: unknown) =>
        logger.warn({ err: error, updateId: id }, 'could not mark a payment handled'),
      );
    holding.delete(id);
    state.wake.abort();
    state.wake = new AbortController();
  }

  const onError = async (error: BotError<BotContext>) => {
    if (error.error instanceof PaymentNotRecordedError) {
      logger.warn({ err: error.error, updateId: error.ctx.update.update_id }, 'payment left to Telegram');
      return;
    }
    try {
      await bot.errorHandler(error);
    } catch (handlerError) {
      logger.error({ err: handlerError }, 'the error handler failed');
    }
  };

  return {
    /** A runner over this state, started; `stop()` also waits for the updates in flight. */
    run(): RunnerHandle {
      const sink = createConcurrentSink<Update>(
        {
          consume(update) {
            const task = consume(update);
            inFlight.add(task);
            void task.then(
              () => inFlight.delete(task),
              () => inFlight.delete(task),
            );
            return task;
          },
        },
        // The runner hands its sink's errors on as they came: BotErrors from handleUpdate.
        (error) => onError(error as BotError<BotContext>),
        { concurrency },
      );
      const runner = createRunner(createSource(supplier), sink);
      runner.start();
      return {
        ...runner,
        async stop() {
          await runner.stop();
          await Promise.allSettled([...inFlight]);
        },
      };
    },
  };
}

type RunnerSignal = Parameters<UpdateSupplier<Update>['supply']>[1];

/** The runner signals with the abort-controller polyfill on Node; timers and fetch want the platform's. */
function nativeSignal(signal: RunnerSignal): AbortSignal {
  const controller = new AbortController();
  if (signal.aborted) controller.abort();
  else signal.addEventListener('abort', () => controller.abort(), { once: true });
  return controller.signal;
}

const isRefusal = (error: unknown) =>
  error instanceof GrammyError && (error.error_code === 401 || error.error_code === 409);

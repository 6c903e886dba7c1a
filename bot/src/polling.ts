import type { RunnerHandle } from '@grammyjs/runner';
import type { Logger } from '@shop/shared';
import { GrammyError } from 'grammy';
import type { Redis } from 'ioredis';
import type { ShopBot } from './bot.ts';
import { paymentSafeUpdates } from './payment-safe-polling.ts';

export interface PollingOptions {
  /** Where handled updates are remembered across a restart (payment-safe-polling.ts). */
  redis: Redis;
  keyPrefix: string;
  /** First pause after Telegram stops the runner; it doubles per refusal up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface Polling {
  /** Why polling is stopped right now (Telegram's refusal), or undefined while it runs. */
  refusal(): string | undefined;
  /** Stops polling and lets the updates in flight finish. */
  stop(): Promise<void>;
}

/**
 * Long polling that outlives Telegram's refusals. The runner retries network errors and 5xx
 * itself but stops for good on a 409 (another process polls with this token, or a webhook is
 * set) or a 401; either would end the process and, under `npm start`, the whole shop. Here the
 * runner starts again after a pause that doubles up to a minute, and the log says why. Every
 * runner fetches through one payment-safe source (payment-safe-polling.ts): the offset never
 * passes a `successful_payment` that is not recorded yet.
 */
export function startPolling(bot: ShopBot, logger: Logger, options: PollingOptions): Polling {
  const minDelayMs = options.minDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  // An object, not lets: stop() changes it while supervise() awaits.
  const state: {
    runner?: RunnerHandle;
    refusal?: string;
    stopped: boolean;
    wake?: () => void;
  } = { stopped: false };
  // A call, not the property: TypeScript would keep `state.stopped` narrowed across an await.
  const stopped = () => state.stopped;

  logFailedPolls(bot, logger);
  const updates = paymentSafeUpdates(bot, { redis: options.redis, keyPrefix: options.keyPrefix, logger });

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      state.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function supervise(): Promise<void> {
    let delayMs = minDelayMs;
    while (!stopped()) {
      // Failed polls are logged by logFailedPolls.
      const runner = updates.run();
      state.runner = runner;
      const startedAt = Date.now();
      try {
        await runner.task();
        if (stopped()) return;
        state.refusal = 'the runner stopped';
      } catch (error) {
        if (stopped()) return;
        state.refusal = describe(error);
      }
      // A runner that polled well for a while starts the count of refusals afresh.
      if (Date.now() - startedAt > maxDelayMs) delayMs = minDelayMs;
      logger.warn(
        { retryInMs: delayMs },
        `Telegram stopped long polling (${state.refusal}); polling again soon`,
      );
      await pause(delayMs);
      delayMs = Math.min(delayMs * 2, maxDelayMs);
      state.refusal = undefined;
    }
  }

  const supervisor = supervise();
  return {
    refusal: () => state.refusal,
    async stop() {
      state.stopped = true;
      state.wake?.();
      if (state.runner?.isRunning()) await state.runner.stop();
      await supervisor;
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof GrammyError && error.error_code === 409)
    return `409 ${error.description}: another bot process polls with this token, or a webhook is set`;
  if (error instanceof GrammyError) return `${error.error_code} ${error.description}`;
  return error instanceof Error ? error.message : String(error);
}

/** Logs each getUpdates the Bot API refused, including those the runner retries on its own. */
function logFailedPolls(bot: ShopBot, logger: Logger): void {
  bot.api.config.use(async (prev, method, payload, signal) => {
    try {
      const result = await prev(method, payload, signal);
      if (method === 'getUpdates' && !result.ok)
        logger.warn({ errorCode: result.error_code, description: result.description }, 'getUpdates failed');
      return result;
    } catch (error) {
      if (method === 'getUpdates' && !signal?.aborted) logger.warn({ err: error }, 'getUpdates failed');
      throw error;
    }
  });
}

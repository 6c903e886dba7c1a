import { startPeriodicTask, type Orm, type ServiceKit } from '@shop/shared';
import type { Logger } from 'pino';
import { claimStarRefund, markRefunded, postponeRefund } from '../store/refunds.ts';
import { TelegramApiError, type StarRefundApi } from '../telegram/bot-api.ts';

/** A failed refund waits at most this long before it is tried again. */
const MAX_RETRY_MS = 10 * 60_000;
/** Refunds one run takes at most, so shutdown never waits behind a long backlog. */
const MAX_PER_RUN = 100;

/** Telegram's answer for a charge given back already: the refund is done. */
const alreadyRefunded = (error: unknown) =>
  error instanceof TelegramApiError && error.description.includes('CHARGE_ALREADY_REFUNDED');

/** How long a refund that failed `attempts` times waits: `baseMs` doubling, at most 10 minutes, never less than Telegram asks. */
export function retryDelayMs(attempts: number, baseMs: number, error: unknown): number {
  const backoff = Math.min(MAX_RETRY_MS, baseMs * 2 ** Math.min(attempts, 20));
  const asked = error instanceof TelegramApiError ? (error.retryAfterSeconds ?? 0) * 1_000 : 0;
  return Math.max(backoff, asked);
}

export interface StarRefundsOptions {
  orm: Orm;
  api: StarRefundApi;
  logger: Logger;
  /** The first retry's delay (doubling after). */
  retryBaseMs: number;
}

/**
 * Gives back the Stars payments owed back (`refund_pending`, method `stars`) with Telegram's
 * `refundStarPayment`, one at a time, each in a transaction holding its row locked (`SKIP
 * LOCKED`): however many replicas run this, a payment is refunded by one of them, recorded
 * `refunded` and announced (`payment.refunded`) once, in the transaction that saw Telegram agree.
 * If that transaction is lost after Telegram did it, the next try hears `CHARGE_ALREADY_REFUNDED`,
 * which counts as done. Any other failure is recorded on the payment and tried again later
 * (doubling delays): nothing is dropped.
 */
export function createStarRefunds({ orm, api, logger, retryBaseMs }: StarRefundsOptions) {
  const refundOne = () =>
    orm.em.fork().transactional(async (em) => {
      const payment = await claimStarRefund(em);
      if (!payment) return false;
      const log = logger.child({ paymentId: payment.id, orderId: payment.orderId });
      try {
        if (!payment.telegramUserId || !payment.telegramPaymentChargeId)
          throw new Error('the payment has no Telegram user or charge id to refund');
        await api.refundStarPayment(payment.telegramUserId, payment.telegramPaymentChargeId);
      } catch (error) {
        if (!alreadyRefunded(error)) {
          const delayMs = retryDelayMs(payment.refundAttempts, retryBaseMs, error);
          await postponeRefund(em, payment, delayMs, String(error));
          // A refusal other than throttling needs someone to look; an outage heals by itself.
          const refused =
            error instanceof TelegramApiError && error.errorCode !== 429 && error.errorCode < 500;
          log[refused ? 'error' : 'warn']({ err: error, delayMs }, 'Stars refund failed; will try again');
          return true;
        }
      }
      await markRefunded(em, payment);
      log.info({ reason: payment.refundReason }, 'Stars payment refunded');
      return true;
    });

  return {
    /** Refunds every payment due now (up to a bound); resolves with how many it handled. */
    refundDue: async (): Promise<number> => {
      let handled = 0;
      while (handled < MAX_PER_RUN && (await refundOne())) handled++;
      return handled;
    },
  };
}

/** Runs `createStarRefunds` every `intervalMs` in this replica until shutdown. */
export function startStarRefunds(
  kit: ServiceKit,
  options: Omit<StarRefundsOptions, 'logger' | 'retryBaseMs'> & { intervalMs: number },
) {
  const refunds = createStarRefunds({
    ...options,
    logger: kit.logger.child({ component: 'star-refunds' }),
    retryBaseMs: options.intervalMs,
  });
  startPeriodicTask(kit, {
    name: 'star-refunds',
    intervalMs: options.intervalMs,
    run: () => refunds.refundDue(),
  });
  return refunds;
}

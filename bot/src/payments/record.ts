import type { Update } from 'grammy/types';
import { ServiceResponseError } from '../clients/http.ts';
import type { TelegramPayment } from '../clients/payment.ts';
import type { Dependencies } from '../context.ts';
import type { TelegramFrom } from '../telegram-profile.ts';
import { pause, withinDeadline } from './waits.ts';

/** An update carrying `successful_payment`: money Telegram has already taken from the buyer. */
export const isPaymentUpdate = (update: Update): boolean => update.message?.successful_payment !== undefined;

export interface RecordingOptions {
  /**
   * Webhook mode: stop trying after this long, so the webhook can answer 5xx before Telegram (or
   * grammY's webhook timeout) gives up on it, and Telegram delivers the payment again. Unset:
   * keep trying until `signal` aborts (long polling, where the offset holds the update meanwhile).
   */
  giveUpAfterMs?: number;
  /** Aborted at shutdown: recording stops, the payment is left for Telegram to deliver again. */
  signal?: AbortSignal;
  /** First pause after a failed attempt; it doubles up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** The payment could not be recorded in time (or the bot is stopping): it must not be confirmed to Telegram. */
export class PaymentNotRecordedError extends Error {
  constructor(reason: string, cause: unknown) {
    super(`payment not recorded: ${reason}`, { cause });
    this.name = 'PaymentNotRecordedError';
  }
}

// A refusal (4xx) is a bug on one side or the other, not an outage: asked again rarely, never dropped.
const REFUSED_DELAY_MS = 60_000;

/**
 * Records a payment Telegram took with the payment service, as the buyer (`from`), retrying with
 * a growing pause while the payment service or auth is down, the same charge id each time (the
 * payment service keeps it once). Resolves only once the payment service has it; otherwise
 * throws PaymentNotRecordedError, and whoever confirms updates to Telegram must not confirm it.
 */
export async function recordPayment(
  deps: Pick<Dependencies, 'payments' | 'signIns' | 'logger'>,
  from: TelegramFrom,
  payment: TelegramPayment,
  options: RecordingOptions = {},
): Promise<void> {
  const { giveUpAfterMs, signal, minDelayMs = 200, maxDelayMs = 5_000 } = options;
  const deadline = giveUpAfterMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + giveUpAfterMs;
  const log = {
    chargeId: payment.telegramPaymentChargeId,
    providerChargeId: payment.providerPaymentChargeId,
    invoicePayload: payment.invoicePayload,
  };
  let delayMs = minDelayMs;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw new PaymentNotRecordedError('the bot is stopping', undefined);
    try {
      // An attempt never outlasts the deadline (the HTTP clients' own timeout bounds it otherwise).
      const attemptMs = Math.min(deadline - Date.now(), 60_000);
      await withinDeadline(
        deps.signIns.withToken(from, (token) => deps.payments.record(token, payment)),
        attemptMs,
      );
      if (attempt > 1) deps.logger.info({ ...log, attempt }, 'payment recorded after retries');
      return;
    } catch (error) {
      // A well-formed payment is never refused (one for no order of ours is recorded to be given
      // back): a 4xx here is a misconfiguration (BOT_SERVICE_TOKEN) or a bug, held until fixed.
      const refused = error instanceof ServiceResponseError && error.status !== 429;
      deps.logger[refused ? 'error' : 'warn'](
        { ...log, attempt, status: refused ? error.status : undefined, err: error },
        refused
          ? 'the payment service refused a payment (check BOT_SERVICE_TOKEN); holding it and asking again later'
          : 'payment not recorded yet',
      );
      const waitMs = refused ? REFUSED_DELAY_MS : delayMs;
      delayMs = Math.min(delayMs * 2, maxDelayMs);
      if (Date.now() + waitMs >= deadline) throw new PaymentNotRecordedError('no answer in time', error);
      if (!(await pause(waitMs, signal))) throw new PaymentNotRecordedError('the bot is stopping', error);
    }
  }
}

/** The payment service's body for a `successful_payment` message from `from`. */
export function telegramPaymentOf(
  from: TelegramFrom,
  paid: NonNullable<NonNullable<Update['message']>['successful_payment']>,
): TelegramPayment {
  return {
    invoicePayload: paid.invoice_payload,
    currency: paid.currency,
    totalAmount: paid.total_amount,
    telegramPaymentChargeId: paid.telegram_payment_charge_id,
    providerPaymentChargeId: paid.provider_payment_charge_id,
    telegramUserId: from.id,
  };
}

import { orderIdOfInvoicePayload } from '@shop/shared';
import { Composer, type Context } from 'grammy';
import type { BotContext, Dependencies } from '../context.ts';
import { type createI18n, localeOf } from '../i18n.ts';
import { judgePreCheckout, type Verdict } from './pre-checkout.ts';
import { recordPayment, type RecordingOptions, telegramPaymentOf } from './record.ts';
import { withinDeadline } from './waits.ts';

export interface PaymentOptions {
  /**
   * Telegram cancels the payment when pre-checkout is not answered within 10 s: past this
   * deadline the bot answers `unavailable` rather than risk that. Default 6 s.
   */
  preCheckoutDeadlineMs?: number;
  recording?: RecordingOptions;
}

const PRE_CHECKOUT_DEADLINE_MS = 6_000;

/**
 * Telegram's payment updates, mounted on the Bot itself, ahead of the error boundary, private
 * chats, the per-user queue and sessions: a pre-checkout never waits behind the buyer's other
 * updates or an open conversation, and a payment that could not be recorded fails its update
 * (nothing swallows it), so it is not confirmed to Telegram and comes again (record.ts).
 */
export function paymentsFeature(
  deps: Dependencies,
  i18n: ReturnType<typeof createI18n>,
  options: PaymentOptions = {},
) {
  const feature = new Composer<BotContext>();
  const deadlineMs = options.preCheckoutDeadlineMs ?? PRE_CHECKOUT_DEADLINE_MS;

  feature.on('pre_checkout_query', async (ctx) => {
    const query = ctx.preCheckoutQuery;
    const started = performance.now();
    const verdict = await withinDeadline(judgePreCheckout(deps, query, Date.now()), deadlineMs).catch(
      (error: unknown): Verdict => {
        deps.logger.warn(
          { err: error, queryId: query.id },
          'pre-checkout could not be checked (a service down or too slow)',
        );
        return { ok: false, reason: 'unavailable' };
      },
    );
    await answerOnce(ctx, verdict, i18n, deps);
    deps.logger.info(
      {
        queryId: query.id,
        orderId: orderIdOfInvoicePayload(query.invoice_payload),
        ok: verdict.ok,
        reason: verdict.ok ? undefined : verdict.reason,
        ms: Math.round(performance.now() - started),
      },
      'pre-checkout answered',
    );
  });

  feature.on('message:successful_payment', async (ctx) => {
    const paid = ctx.message.successful_payment;
    const payment = telegramPaymentOf(ctx.from, paid);
    await recordPayment(deps, ctx.from, payment, options.recording);
    deps.logger.info(
      { chargeId: payment.telegramPaymentChargeId, invoicePayload: payment.invoicePayload },
      'payment recorded',
    );
  });
  // Telegram's note that Stars went back: the payment service gave them back and tells the buyer
  // itself; the bot has nothing to add (and must not answer it as a message it does not understand).
  feature.on('message:refunded_payment', () => undefined);
  return feature;
}

/** The one answer to a pre-checkout query: a failed call is logged, never repeated (Telegram takes one). */
async function answerOnce(
  ctx: Context,
  verdict: Verdict,
  i18n: ReturnType<typeof createI18n>,
  deps: Pick<Dependencies, 'logger'>,
) {
  try {
    if (verdict.ok) await ctx.answerPreCheckoutQuery(true);
    else
      await ctx.answerPreCheckoutQuery(false, {
        error_message: i18n.t(localeOf(ctx), `pre-checkout-${verdict.reason}`),
      });
  } catch (error) {
    deps.logger.warn({ err: error }, 'could not answer a pre-checkout query');
  }
}

import { InlineKeyboard } from 'grammy';
import {
  adminConfirmRefundedButton,
  adminMarkRefundedButton,
  adminMenuButton,
  adminRefundListButton,
} from '../admin/buttons.ts';
import type { AdminPayment } from '../clients/payment.ts';
import type { Translator } from '../context.ts';
import { money } from '../format.ts';
import type { View } from '../ui.ts';
import { known } from './orders.ts';

/** As many as one message shows comfortably; the rest come as these are marked. */
export const REFUNDS_SHOWN = 10;

const methods = ['telegram', 'stars', 'simulated'];

/** Payments owed back, newest first, and how many there are in all. */
export interface Owed {
  items: AdminPayment[];
  total: number;
}

/**
 * Payments the merchant must give back by hand, newest first: amount, order, method and both
 * charge ids (what the provider's dashboard is searched by), with Mark refunded per payment.
 */
export function adminRefundsView(ctx: Translator, locale: string, owed: Owed, notice?: string): View {
  const keyboard = new InlineKeyboard();
  const shown = owed.items.slice(0, REFUNDS_SHOWN);
  const entries = shown.map((payment, index) =>
    [
      ctx.t(payment.orderId === null ? 'admin-refund-line-no-order' : 'admin-refund-line', {
        n: index + 1,
        order: payment.orderId ?? '',
        amount: money(payment.amountCents, payment.currency, locale),
        method: known(ctx, 'admin-refund-method', payment.method, methods),
      }),
      ...(payment.providerPaymentChargeId
        ? [ctx.t('admin-refund-provider-charge', { id: payment.providerPaymentChargeId })]
        : []),
      ...(payment.telegramPaymentChargeId
        ? [ctx.t('admin-refund-telegram-charge', { id: payment.telegramPaymentChargeId })]
        : []),
    ].join('\n'),
  );
  shown.forEach((payment, index) =>
    keyboard
      .text(
        payment.orderId === null
          ? ctx.t('admin-btn-mark-refunded-no-order', { n: index + 1 })
          : ctx.t('admin-btn-mark-refunded', { order: payment.orderId }),
        adminMarkRefundedButton.build({ payment: payment.id }),
      )
      .row(),
  );
  keyboard.text(ctx.t('admin-btn-refresh'), adminRefundListButton.build());
  keyboard.text(ctx.t('btn-back'), adminMenuButton.build());
  const head =
    owed.total === 0 ? ctx.t('admin-refunds-empty') : ctx.t('admin-refunds-title', { total: owed.total });
  const more =
    owed.total > shown.length ? [ctx.t('admin-refunds-more', { count: owed.total - shown.length })] : [];
  const text = [...(notice ? [notice] : []), head, ...entries, ...more].join('\n\n');
  return { text, keyboard };
}

/**
 * Mark refunded asks first: the buyer is told at once and it cannot be undone, so the merchant
 * confirms having given this amount back in the provider's dashboard (Yes), or goes Back to the list.
 */
export function adminRefundConfirmView(ctx: Translator, locale: string, payment: AdminPayment): View {
  const details = {
    amount: money(payment.amountCents, payment.currency, locale),
    charge: payment.providerPaymentChargeId || '—',
  };
  // Money Telegram took for an invoice this shop did not issue has no order to name.
  const text =
    payment.orderId === null
      ? ctx.t('admin-refund-confirm-no-order', details)
      : ctx.t('admin-refund-confirm', { ...details, order: payment.orderId });
  const keyboard = new InlineKeyboard()
    .text(ctx.t('admin-btn-confirm-refunded'), adminConfirmRefundedButton.build({ payment: payment.id }))
    .row()
    .text(ctx.t('btn-back'), adminRefundListButton.build());
  return { text, keyboard };
}

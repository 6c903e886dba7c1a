import { STARS_CURRENCY } from '@shop/shared';
import { Composer } from 'grammy';
import { pressAsMerchant } from '../admin/actions.ts';
import { adminMarkRefundedButton, adminRefundListButton } from '../admin/buttons.ts';
import { adminRefundsButton, onPress } from '../buttons.ts';
import type { AdminPayment, AdminPaymentPage } from '../clients/payment.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { localeOf } from '../i18n.ts';
import { answer, show } from '../ui.ts';
import { adminRefundsView, type Owed } from '../views/admin-refunds.ts';

/** Stars are refunded by the payment service itself: nothing for the merchant to do by hand. */
const byHand = (payment: AdminPayment) => payment.method !== 'stars' && payment.currency !== STARS_CURRENCY;
// One page as the payment service gives it at most: the list shows the first REFUNDS_SHOWN anyway.
const FETCHED = 100;

/** The refunds the merchant makes by hand, and how many there are in all. */
function toMake(page: AdminPaymentPage): Owed {
  const items = page.items.filter(byHand);
  return { items, total: page.total - (page.items.length - items.length) };
}

/**
 * Refunds to make: the payments the merchant must give back in the provider's dashboard (the Bot
 * API cannot refund a provider payment), and Mark refunded once they did. From the admin menu
 * (edits the menu's message), and from Refunds under notification's alert (a new message below
 * it, the alert left as it was; not a merchant screen of this bot, so the role is checked here).
 */
export function adminRefundsFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();
  const merchant = <T>(ctx: BotContext, fn: (token: string) => Promise<T | undefined>) =>
    pressAsMerchant(deps, ctx, fn, 'admin-refund-refused');
  const owed = (ctx: BotContext) =>
    merchant(ctx, async (token) => toMake(await deps.payments.admin.owed(token, FETCHED)));

  async function listScreen(ctx: BotContext, notice?: string) {
    const loaded = await owed(ctx);
    if (loaded?.kind !== 'ok') return;
    await show(ctx, adminRefundsView(ctx, localeOf(ctx), loaded.value));
    await answer(ctx, notice, notice !== undefined);
  }

  onPress(feature, adminRefundListButton, (ctx) => listScreen(ctx));
  onPress(feature, adminRefundsButton, async (ctx) => {
    const loaded = await owed(ctx);
    if (loaded?.kind !== 'ok') return;
    const view = adminRefundsView(ctx, localeOf(ctx), loaded.value);
    await ctx.reply(view.text, { reply_markup: view.keyboard });
    await answer(ctx);
  });
  // Marking twice (a double tap, two admins) is the same as once: the payment service answers 200 again.
  onPress(feature, adminMarkRefundedButton, async (ctx, { payment }) => {
    const marked = await merchant(ctx, (token) => deps.payments.admin.markRefunded(token, payment));
    if (marked?.kind !== 'ok') return;
    await listScreen(ctx, ctx.t(`admin-refund-${marked.value}`));
  });
  return feature;
}

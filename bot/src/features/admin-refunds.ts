import { Composer } from 'grammy';
import { pressAsMerchant } from '../admin/actions.ts';
import {
  adminConfirmRefundedButton,
  adminMarkRefundedButton,
  adminRefundListButton,
} from '../admin/buttons.ts';
import { adminRefundsButton, onPress } from '../buttons.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { localeOf } from '../i18n.ts';
import { answer, show } from '../ui.ts';
import { adminRefundConfirmView, adminRefundsView } from '../views/admin-refunds.ts';

// One page as the payment service gives it at most: the list shows the first REFUNDS_SHOWN anyway,
// and Mark refunded finds the payment it asks about among these.
const FETCHED = 100;

/**
 * Refunds to make: the payments the merchant must give back in the provider's dashboard (the Bot
 * API cannot refund a provider payment; the payment service lists only those, Stars it refunds
 * itself), and Mark refunded once they did. From the admin menu (edits the menu's message), and
 * from Refunds under notification's alert (a new message below it, the alert left as it was; not
 * a merchant screen of this bot, so the role is checked here).
 */
export function adminRefundsFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();
  const merchant = <T>(ctx: BotContext, fn: (token: string) => Promise<T | undefined>) =>
    pressAsMerchant(deps, ctx, fn, 'admin-refund-refused');
  const owed = (ctx: BotContext) => merchant(ctx, (token) => deps.payments.admin.owed(token, FETCHED));

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
  // Marking refunded tells the buyer at once and cannot be undone: Mark asks first, naming the
  // amount and the provider's charge. A payment no longer owed back (marked meanwhile, a stale or
  // forged button) is not asked about: the list comes back as it is now.
  onPress(feature, adminMarkRefundedButton, async (ctx, { payment }) => {
    const loaded = await owed(ctx);
    if (loaded?.kind !== 'ok') return;
    const found = loaded.value.items.find((item) => item.id === payment);
    if (found === undefined) {
      await show(ctx, adminRefundsView(ctx, localeOf(ctx), loaded.value));
      await answer(ctx, ctx.t('admin-refund-not-owed'), true);
      return;
    }
    await show(ctx, adminRefundConfirmView(ctx, localeOf(ctx), found));
    await answer(ctx);
  });
  // Marking twice (a double tap, two admins) is the same as once: the payment service answers 200 again.
  onPress(feature, adminConfirmRefundedButton, async (ctx, { payment }) => {
    const marked = await merchant(ctx, (token) => deps.payments.admin.markRefunded(token, payment));
    if (marked?.kind !== 'ok') return;
    await listScreen(ctx, ctx.t(`admin-refund-${marked.value}`));
  });
  return feature;
}

import { Composer } from 'grammy';
import { pressAsMerchant } from '../admin/actions.ts';
import {
  adminOrderActionButton,
  adminOrderCardButton,
  adminOrdersButton,
  adminStatsButton,
  type OrderTab,
} from '../admin/buttons.ts';
import { isAdmin } from '../admin/role.ts';
import { adminOrderButton, onPress } from '../buttons.ts';
import type { BotContext, Dependencies } from '../context.ts';
import type { OrderMove } from '../conversations/admin-order.ts';
import { localeOf } from '../i18n.ts';
import { answer, show } from '../ui.ts';
import {
  ADMIN_ORDERS_PAGE_SIZE,
  adminOrdersView,
  adminOrderView,
  type OrderList,
} from '../views/admin-orders.ts';
import { adminStatsView } from '../views/admin-stats.ts';

/**
 * The merchant's orders: a list per status (to ship first), newest first, a page at a time in
 * one message; an order's card with its history; Ship and Cancel (forms that ask for the
 * tracking note and the reason) and Delivered. And the shop's figures (/stats).
 */
export function adminOrdersFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();
  const merchant = <T>(ctx: BotContext, fn: (token: string) => Promise<T | undefined>) =>
    pressAsMerchant(deps, ctx, fn, 'admin-order-refused');

  async function listScreen(ctx: BotContext, tab: OrderTab, page: number, notice?: string) {
    const load = (at: number) =>
      merchant(ctx, (token) =>
        deps.orders.admin.orders(token, { status: tab, page: at, limit: ADMIN_ORDERS_PAGE_SIZE }),
      );
    let loaded = await load(page);
    // A page past the end (orders moved on meanwhile): the last one there is.
    if (loaded?.kind === 'ok' && loaded.value.items.length === 0 && loaded.value.total > 0)
      loaded = await load(Math.ceil(loaded.value.total / ADMIN_ORDERS_PAGE_SIZE));
    if (loaded?.kind !== 'ok') return;
    await show(ctx, adminOrdersView(ctx, localeOf(ctx), tab, loaded.value));
    await answer(ctx, notice, notice !== undefined);
  }

  async function cardScreen(ctx: BotContext, order: number, back: OrderList, notice?: string) {
    const loaded = await merchant(ctx, (token) => deps.orders.admin.order(token, order));
    if (loaded?.kind === 'gone') return listScreen(ctx, back.tab, back.page, ctx.t('order-gone'));
    if (loaded?.kind !== 'ok') return;
    await show(ctx, adminOrderView(ctx, localeOf(ctx), loaded.value, back));
    await answer(ctx, notice, notice !== undefined);
  }

  async function statsScreen(ctx: BotContext) {
    const loaded = await merchant(ctx, (token) => deps.orders.admin.stats(token));
    if (loaded?.kind !== 'ok') return;
    await show(ctx, adminStatsView(ctx, localeOf(ctx), loaded.value));
    await answer(ctx);
  }

  feature.command('stats', async (ctx, next) => {
    if (!(await isAdmin(deps, ctx))) return next();
    await statsScreen(ctx);
  });
  onPress(feature, adminStatsButton, (ctx) => statsScreen(ctx));
  onPress(feature, adminOrdersButton, (ctx, { tab, page }) => listScreen(ctx, tab, page));
  onPress(feature, adminOrderCardButton, (ctx, { order, tab, page }) =>
    cardScreen(ctx, order, { tab, page }),
  );

  // Open order under an admin's alert (notification's message): the card as a new message below
  // it, the alert left as it was. Not a merchant screen of this bot: the role is checked here.
  onPress(feature, adminOrderButton, async (ctx, { order }) => {
    const loaded = await merchant(ctx, (token) => deps.orders.admin.order(token, order));
    if (loaded?.kind === 'gone') return answer(ctx, ctx.t('order-gone'), true);
    if (loaded?.kind !== 'ok') return;
    const view = adminOrderView(ctx, localeOf(ctx), loaded.value, { tab: 'paid', page: 1 });
    await ctx.reply(view.text, { reply_markup: view.keyboard });
    await answer(ctx);
  });

  onPress(feature, adminOrderActionButton, async (ctx, { order, action, tab, page }) => {
    if (action !== 'deliver') {
      await answer(ctx);
      const move: OrderMove = { order, tab, page };
      return ctx.conversation.enter(action === 'ship' ? 'adminShipOrder' : 'adminCancelOrder', move);
    }
    const done = await merchant(ctx, (token) => deps.orders.admin.deliver(token, order));
    if (done?.kind === 'gone') return listScreen(ctx, tab, page, ctx.t('order-gone'));
    if (done?.kind !== 'ok') return;
    const notice =
      'refused' in done.value
        ? ctx.t('admin-refused-deliver', { number: order, status: done.value.refused })
        : ctx.t('admin-done-deliver', { number: order });
    await cardScreen(ctx, order, { tab, page }, notice);
  });
  return feature;
}

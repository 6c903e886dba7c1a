import { ServiceUnavailableError } from '@shop/shared';
import { Composer } from 'grammy';
import { cancelOrderButton, onPress, orderButton, ordersButton } from '../buttons.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { localeOf } from '../i18n.ts';
import { answer, guarded, guestMenu, show } from '../ui.ts';
import { orderView, ordersView } from '../views/orders.ts';

/**
 * `/orders`: the user's orders newest first, a page at a time; a tap shows items and payment, and
 * an unpaid order can be cancelled from there.
 */
export function ordersFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();

  /** Runs `render` for a signed-in user; a guest is asked to log in instead. */
  const signedIn = async (
    ctx: BotContext,
    retryData: string,
    render: (telegramId: number) => Promise<string | undefined>,
  ) => {
    const telegramId = ctx.from?.id;
    if (telegramId === undefined || !(await deps.signIns.get(telegramId))) {
      await show(ctx, { text: ctx.t('login-to-see-orders'), keyboard: guestMenu(ctx) });
      await answer(ctx);
      return;
    }
    await guarded(ctx, retryData, async () => answer(ctx, await render(telegramId), true));
  };

  const list = (ctx: BotContext, page: number) =>
    signedIn(ctx, ordersButton.build({ page }), async (telegramId) => {
      const orders = await deps.signIns.withToken(telegramId, (token) => deps.orders.list(token));
      await show(ctx, ordersView(ctx, localeOf(ctx), newestFirst(orders), page));
      return undefined;
    });

  feature.command('orders', (ctx) => list(ctx, 1));
  onPress(feature, ordersButton, (ctx, { page }) => list(ctx, page));

  /** Shows one order; the list again, with `order-gone`, when it is not (or no longer) the user's. */
  const showOrder = async (ctx: BotContext, telegramId: number, id: string, page: number) => {
    const order = await deps.signIns.withToken(telegramId, (token) => deps.orders.get(token, id));
    if (!order) {
      const orders = await deps.signIns.withToken(telegramId, (token) => deps.orders.list(token));
      await show(ctx, ordersView(ctx, localeOf(ctx), newestFirst(orders), page));
      return ctx.t('order-gone');
    }
    // Payment status is a detail: without the payment service the order still shows.
    const payments = await deps.signIns
      .withToken(telegramId, (token) => deps.orders.payments(token, id))
      .catch((error: unknown) => {
        if (error instanceof ServiceUnavailableError) return undefined;
        throw error;
      });
    await show(ctx, orderView(ctx, localeOf(ctx), order, payments, page));
    return undefined;
  };

  onPress(feature, orderButton, (ctx, { order: id, page }) =>
    signedIn(ctx, orderButton.build({ order: id, page }), (telegramId) =>
      showOrder(ctx, telegramId, id, page),
    ),
  );

  // The order service decides: a press on an order paid meanwhile, or someone else's, changes nothing.
  onPress(feature, cancelOrderButton, (ctx, { order: id, page }) =>
    signedIn(ctx, cancelOrderButton.build({ order: id, page }), async (telegramId) => {
      const result = await deps.signIns.withToken(telegramId, (token) => deps.orders.cancel(token, id));
      const gone = await showOrder(ctx, telegramId, id, page);
      if (result === 'gone' || gone) return ctx.t('order-gone');
      return result === 'final'
        ? ctx.t('order-not-cancellable')
        : ctx.t('order-cancelled-now', { number: id });
    }),
  );
  return feature;
}

// The contract promises newest first; sorting again costs nothing and guards the pagination.
const newestFirst = <T extends { createdAt: string }>(orders: T[]) =>
  [...orders].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));

import { ServiceUnavailableError } from '@shop/shared';
import { Composer } from 'grammy';
import { cancelOrderButton, onPress, orderButton, ordersButton } from '../buttons.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { localeOf } from '../i18n.ts';
import { answer, guarded, show } from '../ui.ts';
import type { TelegramFrom } from '../telegram-profile.ts';
import { orderView, ordersView } from '../views/orders.ts';

/**
 * `/orders`: the user's orders newest first, a page at a time; a tap shows items and payment, and
 * an unpaid order can be cancelled from there.
 */
export function ordersFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();

  /** Runs `render` for the user; the first call signs them in by their Telegram identity. */
  const forUser = async (
    ctx: BotContext,
    retryData: string,
    render: (buyer: TelegramFrom) => Promise<string | undefined>,
  ) => {
    const buyer = ctx.from;
    if (buyer === undefined) return;
    await guarded(ctx, retryData, async () => answer(ctx, await render(buyer), true));
  };

  const list = (ctx: BotContext, page: number) =>
    forUser(ctx, ordersButton.build({ page }), async (buyer) => {
      const orders = await deps.signIns.withToken(buyer, (token) => deps.orders.list(token));
      await show(ctx, ordersView(ctx, localeOf(ctx), newestFirst(orders), page));
      return undefined;
    });

  feature.command('orders', (ctx) => list(ctx, 1));
  onPress(feature, ordersButton, (ctx, { page }) => list(ctx, page));

  /** Shows one order; the list again, with `order-gone`, when it is not (or no longer) the user's. */
  const showOrder = async (ctx: BotContext, buyer: TelegramFrom, id: string, page: number) => {
    const order = await deps.signIns.withToken(buyer, (token) => deps.orders.get(token, id));
    if (!order) {
      const orders = await deps.signIns.withToken(buyer, (token) => deps.orders.list(token));
      await show(ctx, ordersView(ctx, localeOf(ctx), newestFirst(orders), page));
      return ctx.t('order-gone');
    }
    // Payment status is a detail: without the payment service the order still shows.
    const payments = await deps.signIns
      .withToken(buyer, (token) => deps.payments.list(token, id))
      .catch((error: unknown) => {
        if (error instanceof ServiceUnavailableError) return undefined;
        throw error;
      });
    await show(ctx, orderView(ctx, localeOf(ctx), order, payments, page));
    return undefined;
  };

  onPress(feature, orderButton, (ctx, { order: id, page }) =>
    forUser(ctx, orderButton.build({ order: id, page }), (buyer) => showOrder(ctx, buyer, id, page)),
  );

  // The order service decides: a press on an order paid meanwhile, or someone else's, changes nothing.
  onPress(feature, cancelOrderButton, (ctx, { order: id, page }) =>
    forUser(ctx, cancelOrderButton.build({ order: id, page }), async (buyer) => {
      const result = await deps.signIns.withToken(buyer, (token) => deps.orders.cancel(token, id));
      const gone = await showOrder(ctx, buyer, id, page);
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

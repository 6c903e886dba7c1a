import { ServiceUnavailableError } from '@shop/shared';
import { Composer } from 'grammy';
import { adminOrderButton, onPress } from '../buttons.ts';
import type { AdminOrder } from '../clients/order.ts';
import type { BotContext, Dependencies, Translator } from '../context.ts';
import { money } from '../format.ts';
import { localeOf } from '../i18n.ts';
import { answer } from '../ui.ts';
import { orderStatus } from '../views/orders.ts';

/** The short card of an order an admin opens from an alert. */
function adminOrderCard(ctx: Translator, locale: string, order: AdminOrder): string {
  return [
    ctx.t('order-title', { number: order.id, status: orderStatus(ctx, order.status) }),
    ...order.items.map((item) =>
      ctx.t('order-item', {
        name: item.name,
        quantity: item.quantity,
        total: money(item.unitPriceCents * item.quantity, order.currency, locale),
      }),
    ),
    ctx.t('order-total', { total: money(order.totalCents, order.currency, locale) }),
    ...(order.delivery ? [ctx.t('admin-order-delivery', order.delivery)] : []),
  ].join('\n');
}

/**
 * Open order, under notification's alert to the shop's admins (`adminOrderButton`): the order's
 * card as a new message below the alert, which stays as it was. The order service decides who is
 * an admin (`GET /admin/orders/:id`); anyone else pressing such a button (forged data) gets the
 * answer of a button that no longer works, and nothing of the order.
 */
export function adminAlertsFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();
  onPress(feature, adminOrderButton, async (ctx, { order: id }) => {
    try {
      const order = await deps.signIns.withToken(ctx.from, (token) => deps.orders.adminOrder(token, id));
      if (order === 'forbidden') return await answer(ctx, ctx.t('button-inactive'), true);
      if (order === undefined) return await answer(ctx, ctx.t('order-gone'), true);
      await ctx.reply(adminOrderCard(ctx, localeOf(ctx), order));
      await answer(ctx);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) throw error;
      await answer(ctx, ctx.t('service-down-short', { service: ctx.t(`service-${error.dependency}`) }), true);
    }
  });
  return feature;
}

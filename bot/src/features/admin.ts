import { Composer } from 'grammy';
import { adminMenuButton, isAdminData } from '../admin/buttons.ts';
import { adminMenuView } from '../admin/menu.ts';
import { isAdmin } from '../admin/role.ts';
import { onPress } from '../buttons.ts';
import type { BotContext, Dependencies } from '../context.ts';
import { answer, show } from '../ui.ts';
import { adminCatalogFeature } from './admin-catalog.ts';
import { adminOrdersFeature } from './admin-orders.ts';
import { adminRefundsFeature } from './admin-refunds.ts';
import { announceFeature } from './announce.ts';

/**
 * The merchant's desk: `/admin`, `/stats` (admin-orders.ts), `/announce` (announce.ts) and every
 * merchant button (admin/buttons.ts), each behind the user's role as auth says it now
 * (admin/role.ts), asked again at every command and press: orders, refunds to make, the catalog,
 * announcements and statistics. Anyone else gets exactly what an unknown command or an old button gets: nothing says
 * a menu exists.
 */
export function adminFeature(deps: Dependencies) {
  const feature = new Composer<BotContext>();

  feature.command('admin', async (ctx, next) => {
    if (!(await isAdmin(deps, ctx))) return next();
    await show(ctx, adminMenuView(ctx));
  });

  feature.on('callback_query:data', async (ctx, next) => {
    if (!isAdminData(ctx.callbackQuery.data) || (await isAdmin(deps, ctx))) return next();
    await ctx.answerCallbackQuery({ text: ctx.t('button-inactive'), show_alert: true });
  });

  onPress(feature, adminMenuButton, async (ctx) => {
    await answer(ctx);
    await show(ctx, adminMenuView(ctx));
  });
  feature.use(
    adminCatalogFeature(deps),
    adminOrdersFeature(deps),
    adminRefundsFeature(deps),
    announceFeature(deps),
  );
  return feature;
}

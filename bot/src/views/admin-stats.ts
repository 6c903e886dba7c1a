import { InlineKeyboard } from 'grammy';
import { adminMenuButton, adminStatsButton } from '../admin/buttons.ts';
import type { PeriodStats, ProductSales, ShopStats } from '../clients/order-admin.ts';
import type { Translator } from '../context.ts';
import { money } from '../format.ts';
import type { View } from '../ui.ts';
import { orderStatus } from './orders.ts';

const periods = ['today', 'last7Days', 'last30Days'] as const;

function periodText(ctx: Translator, locale: string, key: (typeof periods)[number], figures: PeriodStats) {
  const revenue = figures.revenue.map((sum) => money(sum.totalCents, sum.currency, locale)).join(' + ');
  const statuses = Object.entries(figures.byStatus)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${orderStatus(ctx, status)} ${count}`);
  return [
    ctx.t(`admin-stats-${key}`),
    ctx.t('admin-stats-orders', { orders: figures.orders, paid: figures.paidOrders }),
    ctx.t('admin-stats-revenue', { revenue: revenue || ctx.t('admin-stats-revenue-none') }),
    ctx.t('admin-stats-buyers', { buyers: figures.buyers, newBuyers: figures.newBuyers }),
    ...(statuses.length > 0 ? [ctx.t('admin-stats-by-status', { statuses: statuses.join(' · ') })] : []),
  ].join('\n');
}

const topLines = (ctx: Translator, locale: string, sales: ProductSales[]) =>
  sales.map((sold, index) =>
    ctx.t('admin-stats-top-line', {
      rank: index + 1,
      name: sold.name,
      units: sold.units,
      revenue: money(sold.revenueCents, sold.currency, locale),
    }),
  );

/** The shop in figures: today, the last 7 and 30 days, and the best sellers of the last 30. */
export function adminStatsView(ctx: Translator, locale: string, stats: ShopStats): View {
  const { byUnits, byRevenue } = stats.topProducts;
  const top =
    byUnits.length === 0
      ? [ctx.t('admin-stats-top-title'), ctx.t('admin-stats-top-none')]
      : [
          ctx.t('admin-stats-top-title'),
          ctx.t('admin-stats-top-units'),
          ...topLines(ctx, locale, byUnits),
          ctx.t('admin-stats-top-revenue'),
          ...topLines(ctx, locale, byRevenue),
        ];
  const text = [
    ctx.t('admin-stats-title', { timeZone: stats.timeZone }),
    ...periods.map((key) => periodText(ctx, locale, key, stats.periods[key])),
    top.join('\n'),
  ].join('\n\n');
  const keyboard = new InlineKeyboard()
    .text(ctx.t('admin-btn-refresh'), adminStatsButton.build())
    .text(ctx.t('btn-back'), adminMenuButton.build());
  return { text, keyboard };
}

import { InlineKeyboard } from 'grammy';
import type { Translator } from '../context.ts';
import {
  adminAnnounceButton,
  adminCategoriesButton,
  adminOrdersButton,
  adminRefundListButton,
  adminStatsButton,
} from './buttons.ts';

/**
 * The merchant's menu (/admin), one entry per desk: the label's locale key and the data of the
 * screen it opens (an `adminScreen`, so the role check guards it). To add a desk, add its line
 * here.
 */
const entries: { label: string; data: () => string }[] = [
  { label: 'admin-menu-orders', data: () => adminOrdersButton.build({ tab: 'paid', page: 1 }) },
  { label: 'admin-menu-refunds', data: () => adminRefundListButton.build() },
  { label: 'admin-menu-catalog', data: () => adminCategoriesButton.build() },
  { label: 'admin-menu-announce', data: () => adminAnnounceButton.build() },
  { label: 'admin-menu-stats', data: () => adminStatsButton.build() },
];

export const adminMenuView = (ctx: Translator) => {
  const keyboard = new InlineKeyboard();
  for (const entry of entries) keyboard.text(ctx.t(entry.label), entry.data()).row();
  return { text: ctx.t('admin-menu'), keyboard };
};

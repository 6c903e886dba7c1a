import { cancelReasons } from '@shop/shared';
import { InlineKeyboard } from 'grammy';
import {
  adminMenuButton,
  adminOrderActionButton,
  adminOrderCardButton,
  adminOrdersButton,
  type OrderTab,
  orderTabs,
} from '../admin/buttons.ts';
import type { AdminOrder, AdminOrderPage } from '../clients/order-admin.ts';
import type { Translator } from '../context.ts';
import { dateTime, money } from '../format.ts';
import type { View } from '../ui.ts';
import { known, orderStatus } from './orders.ts';

export const ADMIN_ORDERS_PAGE_SIZE = 6;
/** Telegram's limit on a message's text. */
const MESSAGE_MAX = 4096;

/** The list a card was opened from: where its Back button returns. */
export interface OrderList {
  tab: OrderTab;
  page: number;
}

const clip = (text: string) => (text.length > MESSAGE_MAX ? `${text.slice(0, MESSAGE_MAX - 1)}…` : text);

/** The tabs, the shown one marked, two rows. */
function tabsOf(ctx: Translator, keyboard: InlineKeyboard, shown: OrderTab) {
  for (const [index, tab] of orderTabs.entries()) {
    if (index === 3) keyboard.row();
    const label = ctx.t(`admin-tab-${tab}`);
    keyboard.text(tab === shown ? `• ${label}` : label, adminOrdersButton.build({ tab, page: 1 }));
  }
  return keyboard.row();
}

/** A page of the orders in one status, newest first: one button per order. */
export function adminOrdersView(ctx: Translator, locale: string, tab: OrderTab, page: AdminOrderPage): View {
  const keyboard = new InlineKeyboard();
  const pages = Math.max(1, Math.ceil(page.total / page.limit));
  for (const order of page.items) {
    const label = `#${order.id} · ${money(order.totalCents, order.currency, locale)} · ${dateTime(order.createdAt, locale)}`;
    keyboard.text(label, adminOrderCardButton.build({ order: order.id, tab, page: page.page })).row();
  }
  const at = (n: number) => adminOrdersButton.build({ tab, page: n });
  if (page.page > 1) keyboard.text(ctx.t('btn-prev'), at(page.page - 1));
  if (page.page < pages) keyboard.text(ctx.t('btn-next'), at(page.page + 1));
  keyboard.row();
  tabsOf(ctx, keyboard, tab).text(ctx.t('btn-back'), adminMenuButton.build());
  const name = ctx.t(`admin-tab-${tab}`);
  const text =
    page.total === 0
      ? ctx.t('admin-orders-empty', { tab: name })
      : `${ctx.t('admin-orders-title', { tab: name, total: page.total })}\n${ctx.t('page-of', { page: page.page, pages })}`;
  return { text, keyboard };
}

/** What the merchant may do to an order in `status` (the order service has the last word). */
export function actionsFor(status: string): ('ship' | 'deliver' | 'cancel')[] {
  switch (status) {
    case 'paid':
      return ['ship', 'cancel'];
    case 'shipped':
      return ['deliver', 'cancel'];
    case 'pending':
    case 'awaiting_payment':
      return ['cancel'];
    default:
      return [];
  }
}

/** Everything the merchant needs of one order: lines, total, where it goes, notes, its history. */
export function adminOrderView(
  ctx: Translator,
  locale: string,
  order: AdminOrder,
  back: OrderList,
  notice?: string,
): View {
  const lines = order.items.map((item) =>
    ctx.t('order-item', {
      name: item.name,
      quantity: item.quantity,
      total: money(item.unitPriceCents * item.quantity, order.currency, locale),
    }),
  );
  const { delivery } = order;
  const wasPaid = order.statusHistory.some((entry) => entry.status === 'paid');
  const sections = [
    [
      ...(notice ? [notice, ''] : []),
      ctx.t('admin-order-title', { number: order.id, status: orderStatus(ctx, order.status) }),
      ctx.t('admin-order-placed', { at: dateTime(order.createdAt, locale) }),
    ],
    [...lines, ctx.t('order-total', { total: money(order.totalCents, order.currency, locale) })],
    [delivery ? ctx.t('admin-order-delivery', delivery) : ctx.t('admin-order-no-delivery')],
    [
      ...(order.trackingNote ? [ctx.t('admin-order-tracking', { note: order.trackingNote })] : []),
      ...(order.status === 'cancelled'
        ? [
            ctx.t('admin-order-cancelled', {
              reason: known(ctx, 'admin-cancel-reason', order.cancelReason ?? '', cancelReasons),
            }),
            ...(order.cancelNote ? [ctx.t('admin-order-cancel-note', { note: order.cancelNote })] : []),
            ...(wasPaid ? [ctx.t('admin-order-refunded')] : []),
          ]
        : []),
    ],
    [
      ctx.t('admin-order-history'),
      ...order.statusHistory.map((entry) =>
        ctx.t('admin-order-history-line', {
          at: dateTime(entry.at, locale),
          status: orderStatus(ctx, entry.status),
        }),
      ),
    ],
  ];
  const text = sections
    .filter((section) => section.length > 0)
    .map((section) => section.join('\n'))
    .join('\n\n');

  const keyboard = new InlineKeyboard();
  for (const action of actionsFor(order.status))
    keyboard.text(
      ctx.t(`admin-btn-${action}`),
      adminOrderActionButton.build({ order: order.id, action, ...back }),
    );
  keyboard.row().text(ctx.t('btn-back'), adminOrdersButton.build(back));
  return { text: clip(text), keyboard };
}

import { cancelReasons } from '@shop/shared';
import { InlineKeyboard } from 'grammy';
import { cancelOrderButton, categoriesButton, orderButton, ordersButton } from '../buttons.ts';
import type { Order } from '../clients/order.ts';
import type { Payment } from '../clients/payment.ts';
import type { Translator } from '../context.ts';
import { money } from '../format.ts';
import type { View } from '../ui.ts';

export const ORDERS_PAGE_SIZE = 5;

/** The text of `value` (`<prefix>-<value>`) when it is one of `values`; a value this bot does not know yet, as it is. */
export const known = (ctx: Translator, prefix: string, value: string, values: readonly string[]) =>
  values.includes(value) ? ctx.t(`${prefix}-${value}`) : value;

export const orderStatus = (ctx: Translator, status: string) =>
  known(ctx, 'status', status, [
    'pending',
    'awaiting_payment',
    'paid',
    'shipped',
    'delivered',
    'cancelled',
    'payment_failed',
  ]);

/** Statuses in which the buyer may still cancel (the order service has the last word). */
const UNPAID = ['pending', 'awaiting_payment'];

export function ordersView(ctx: Translator, locale: string, orders: Order[], page: number): View {
  const keyboard = new InlineKeyboard();
  if (orders.length === 0)
    return {
      text: ctx.t('orders-empty'),
      keyboard: keyboard.text(ctx.t('menu-catalog'), categoriesButton.build()),
    };
  const pages = Math.ceil(orders.length / ORDERS_PAGE_SIZE);
  const current = Math.min(Math.max(1, page), pages);
  for (const order of orders.slice((current - 1) * ORDERS_PAGE_SIZE, current * ORDERS_PAGE_SIZE)) {
    const label = `#${order.id} · ${orderStatus(ctx, order.status)} · ${money(order.totalCents, order.currency, locale)}`;
    keyboard.text(label, orderButton.build({ order: order.id, page: current })).row();
  }
  if (current > 1) keyboard.text(ctx.t('btn-prev'), ordersButton.build({ page: current - 1 }));
  if (current < pages) keyboard.text(ctx.t('btn-next'), ordersButton.build({ page: current + 1 }));
  return { text: `${ctx.t('orders-title')}\n${ctx.t('page-of', { page: current, pages })}`, keyboard };
}

/** Whole minutes from `now` until `until` (at least 1 while it has not passed), or undefined once it has. */
function minutesLeft(until: string | undefined, now: number): number | undefined {
  const ms = until === undefined ? Number.NaN : Date.parse(until) - now;
  return ms > 0 ? Math.ceil(ms / 60_000) : undefined;
}

export function orderView(
  ctx: Translator,
  locale: string,
  order: Order,
  payments: Payment[] | undefined,
  page: number,
  now = Date.now(),
): View {
  const items = order.items.map((item) =>
    ctx.t('order-item', {
      name: item.name,
      quantity: item.quantity,
      total: money(item.unitPriceCents * item.quantity, order.currency, locale),
    }),
  );
  const latest = payments?.at(-1);
  const payment =
    payments === undefined
      ? ctx.t('payment-unknown')
      : latest === undefined
        ? ctx.t('payment-none')
        : known(ctx, 'payment', latest.status, [
            'pending',
            'succeeded',
            'failed',
            'refunded',
            'refund_pending',
          ]);
  const held = order.status === 'awaiting_payment' ? minutesLeft(order.reservedUntil, now) : undefined;
  const reason = order.cancelReason && known(ctx, 'cancel-reason', order.cancelReason, cancelReasons);
  const text = [
    ctx.t('order-title', { number: order.id, status: orderStatus(ctx, order.status) }),
    ...(reason ? [ctx.t('order-cancel-reason', { reason })] : []),
    ...(order.cancelNote ? [ctx.t('order-cancel-note', { note: order.cancelNote })] : []),
    ...(order.trackingNote ? [ctx.t('order-tracking', { note: order.trackingNote })] : []),
    ...(held === undefined ? [] : [ctx.t('order-held', { minutes: held })]),
    ...items,
    ctx.t('order-total', { total: money(order.totalCents, order.currency, locale) }),
    ctx.t('order-payment', { payment }),
  ].join('\n');
  const keyboard = new InlineKeyboard();
  if (UNPAID.includes(order.status))
    keyboard.text(ctx.t('btn-cancel-order'), cancelOrderButton.build({ order: order.id, page })).row();
  return { text, keyboard: keyboard.text(ctx.t('btn-back'), ordersButton.build({ page })) };
}

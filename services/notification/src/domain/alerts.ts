import {
  declineReasons,
  formatMoney,
  languageOf,
  type Delivery,
  type DeclineReason,
  type EventData,
  type RefundReason,
} from '@shop/shared';
import { adminOrderButton, adminRefundsButton } from '@shop/shared/callback-data';

/** What the shop's admins are alerted of (an `admin_alerts.kind`). */
export const ALERT_KINDS = [
  'order.paid',
  'payment.failed',
  'order.out_of_stock',
  'stock.low',
  'payment.refund_pending',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

type OrderItem = EventData<'order.paid'>['items'][number];
type Shortage = EventData<'stock.rejected'>['shortages'][number];

/** What an alert says, as recorded when its event arrived. */
export type AlertPayload =
  | {
      kind: 'order.paid';
      orderId: number;
      items: OrderItem[];
      totalCents: number;
      currency: string;
      delivery?: Delivery;
    }
  | { kind: 'payment.failed'; orderId: number; totalCents: number; currency: string; reason: string }
  | { kind: 'order.out_of_stock'; orderId: number; shortages: Shortage[] }
  | ({ kind: 'stock.low' } & EventData<'stock.low'>)
  | {
      kind: 'payment.refund_pending';
      /** Null for money taken for an invoice payload that names no order of the shop. */
      orderId: number | null;
      totalCents: number;
      currency: string;
      reason: RefundReason;
      telegramPaymentChargeId: string | null;
      providerPaymentChargeId: string | null;
    };

/** An alert as the admin reads it: its text and the buttons for the next step. */
export interface AlertMessage {
  text: string;
  /** Bot API `reply_markup`: an inline keyboard whose buttons the bot answers. */
  replyMarkup?: { inline_keyboard: { text: string; callback_data: string }[][] };
}

const texts = {
  en: {
    paid: (order: number) => `🛒 New order #${order}: paid`,
    failed: (order: number) => `⚠️ Payment for order #${order} failed`,
    outOfStock: (order: number) => `❌ Order #${order} cancelled: not enough in stock`,
    shortage: (name: string, requested: number, left: number) =>
      `• ${name}: ${requested} asked for, ${left === 0 ? 'none' : left} left`,
    low: (name: string, left: number) => `📉 Low stock: ${name}, ${left} left`,
    soldOut: (name: string) => `⛔ Sold out: ${name}, none left`,
    buyer: (name: string | null) => `Buyer: ${name ?? 'name unknown'}`,
    total: 'Total',
    delivery: 'Delivery',
    declined: {
      [declineReasons.amountLimitExceeded]: 'The total is above the limit for one payment.',
      [declineReasons.noPaymentMethod]:
        'No payment method takes this currency: connect a provider (TELEGRAM_PAYMENT_PROVIDER_TOKEN).',
    } satisfies Record<DeclineReason, string>,
    declinedOtherwise: 'The payment provider declined the payment.',
    open: 'Open order',
    refund: (order: number) => `↩️ Refund to make: order #${order}`,
    refundNoOrder: '↩️ Refund to make: a payment for no order of the shop',
    amount: 'Amount',
    refundReasons: {
      order_cancelled: 'The order was cancelled after it was paid.',
      order_expired: 'The payment arrived after the reservation had expired.',
      already_paid: 'The order had already been paid: this is a second payment.',
      not_payable: 'The order could not take this payment.',
    } satisfies Record<RefundReason, string>,
    providerCharge: "Provider's charge id",
    telegramCharge: "Telegram's charge id",
    unknownCharge: 'not given',
    refundHow: "Refund it in the payment provider's dashboard, then mark it refunded.",
    refunds: '💳 Refunds to make',
  },
  ru: {
    paid: (order: number) => `🛒 Новый заказ №${order}: оплачен`,
    failed: (order: number) => `⚠️ Оплата заказа №${order} не прошла`,
    outOfStock: (order: number) => `❌ Заказ №${order} отменён: товара не хватило`,
    shortage: (name: string, requested: number, left: number) =>
      `• ${name}: заказано ${requested}, ${left === 0 ? 'не осталось' : `осталось ${left}`}`,
    low: (name: string, left: number) => `📉 Товар заканчивается: ${name}, осталось ${left}`,
    soldOut: (name: string) => `⛔ Товар распродан: ${name}, не осталось`,
    buyer: (name: string | null) => `Покупатель: ${name ?? 'имя неизвестно'}`,
    total: 'Итого',
    delivery: 'Доставка',
    declined: {
      [declineReasons.amountLimitExceeded]: 'Сумма выше лимита одного платежа.',
      [declineReasons.noPaymentMethod]:
        'Эту валюту нечем принять: подключите провайдера (TELEGRAM_PAYMENT_PROVIDER_TOKEN).',
    } satisfies Record<DeclineReason, string>,
    declinedOtherwise: 'Платёжный провайдер отклонил платёж.',
    open: 'Открыть заказ',
    refund: (order: number) => `↩️ Нужно вернуть деньги: заказ №${order}`,
    refundNoOrder: '↩️ Нужно вернуть деньги: платёж не за заказ магазина',
    amount: 'Сумма',
    refundReasons: {
      order_cancelled: 'Заказ отменён после оплаты.',
      order_expired: 'Оплата пришла, когда бронь уже истекла.',
      already_paid: 'Заказ уже был оплачен: это повторный платёж.',
      not_payable: 'Заказ не мог принять этот платёж.',
    } satisfies Record<RefundReason, string>,
    providerCharge: 'ID платежа у провайдера',
    telegramCharge: 'ID платежа в Telegram',
    unknownCharge: 'не указан',
    refundHow: 'Верните деньги в кабинете платёжного провайдера, затем отметьте возврат.',
    refunds: '💳 Возвраты к оформлению',
  },
} as const;

const MAX_TEXT_LENGTH = 4096;
const MAX_NAME_LENGTH = 120;
const clip = (value: string, length: number) =>
  value.length <= length ? value : `${value.slice(0, length - 1)}…`;
const isKnownReason = (reason: string): reason is DeclineReason =>
  Object.values<string>(declineReasons).includes(reason);

/**
 * The alert an admin reads, in their language (Russian for `ru`, English otherwise), money
 * written their way: a paid order (number, buyer, lines, total, delivery name, phone and
 * address), a failed payment (why, in a sentence), an order cancelled for lack of stock (which
 * products ran short), low stock or sold out, a provider payment to refund by hand (amount, why,
 * both charge ids, with a Refunds to make button). An order's alert carries an Open order button.
 * `buyer`: what the shop knows of the buyer's name (the delivery name wins). Plain text.
 */
export function renderAlert(
  alert: AlertPayload,
  { languageCode, buyer }: { languageCode: string | null; buyer: string | null },
): AlertMessage {
  const language = languageOf(languageCode);
  const text = texts[language];
  const lines: string[] = [];
  switch (alert.kind) {
    case 'order.paid': {
      const money = (cents: number) => formatMoney(cents, alert.currency, language);
      lines.push(text.paid(alert.orderId), text.buyer(alert.delivery?.name ?? buyer));
      for (const item of alert.items)
        lines.push(
          `• ${clip(item.name, MAX_NAME_LENGTH)} × ${item.quantity} — ${money(item.unitPriceCents * item.quantity)}`,
        );
      lines.push(`${text.total}: ${money(alert.totalCents)}`);
      if (alert.delivery) {
        const { name, phone, address } = alert.delivery;
        lines.push(`${text.delivery}: ${name}, ${phone}`, address);
      }
      break;
    }
    case 'payment.failed':
      lines.push(
        text.failed(alert.orderId),
        text.buyer(buyer),
        `${text.total}: ${formatMoney(alert.totalCents, alert.currency, language)}`,
        isKnownReason(alert.reason) ? text.declined[alert.reason] : text.declinedOtherwise,
      );
      break;
    case 'order.out_of_stock':
      lines.push(text.outOfStock(alert.orderId), text.buyer(buyer));
      for (const { name, requested, available } of alert.shortages)
        lines.push(text.shortage(clip(name, MAX_NAME_LENGTH), requested, available));
      break;
    case 'stock.low': {
      const name = clip((language === 'ru' ? alert.nameRu : undefined) ?? alert.name, MAX_NAME_LENGTH);
      lines.push(alert.available === 0 ? text.soldOut(name) : text.low(name, alert.available));
      break;
    }
    case 'payment.refund_pending':
      lines.push(
        alert.orderId === null ? text.refundNoOrder : text.refund(alert.orderId),
        text.buyer(buyer),
        `${text.amount}: ${formatMoney(alert.totalCents, alert.currency, language)}`,
        text.refundReasons[alert.reason],
        `${text.providerCharge}: ${alert.providerPaymentChargeId || text.unknownCharge}`,
        `${text.telegramCharge}: ${alert.telegramPaymentChargeId || text.unknownCharge}`,
        text.refundHow,
      );
      break;
  }
  const message: AlertMessage = { text: clip(lines.join('\n'), MAX_TEXT_LENGTH) };
  if (alert.kind !== 'stock.low') {
    const { orderId } = alert;
    const open =
      orderId === null
        ? []
        : [[{ text: text.open, callback_data: adminOrderButton.build({ order: orderId }) }]];
    message.replyMarkup = {
      inline_keyboard:
        alert.kind === 'payment.refund_pending'
          ? [[{ text: text.refunds, callback_data: adminRefundsButton.build() }], ...open]
          : open,
    };
  }
  return message;
}

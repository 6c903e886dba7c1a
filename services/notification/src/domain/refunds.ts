import { refundReasons, type Language, type PaymentMethod, type RefundReason } from '@shop/shared';

/** What the buyer is told of a refund, from `payment.refund_pending` or `payment.refunded`. */
export interface RefundNews {
  kind: 'payment.refund_pending' | 'payment.refunded';
  orderId: number;
  /** How the money was taken; null on events from before methods existed. */
  method: PaymentMethod | null;
  /** What goes back, already written in the buyer's language. */
  amount: string;
  reason: RefundReason | null;
}

const texts = {
  en: {
    pending: {
      stars: (order: number, amount: string) =>
        `↩️ Your payment of ${amount} for order #${order} is being refunded: the Stars are on their way back to your balance.`,
      telegram: (order: number, amount: string) =>
        `↩️ The shop will refund ${amount} for order #${order} to your card.`,
      simulated: (order: number, amount: string) =>
        `↩️ Your payment of ${amount} for order #${order} will be refunded.`,
    } satisfies Record<PaymentMethod, (order: number, amount: string) => string>,
    refunded: (order: number, amount: string) =>
      `💸 The payment of ${amount} for order #${order} was refunded.`,
    refundedStars: (order: number, amount: string) =>
      `💸 The payment of ${amount} for order #${order} was refunded to your Telegram Stars balance.`,
    reasons: {
      order_cancelled: 'The shop cancelled the order.',
      order_expired: 'The payment arrived after the reservation of the order had expired.',
      already_paid: 'The order had already been paid: this was a second payment.',
      not_payable: 'The order could not take this payment.',
    } satisfies Record<RefundReason, string>,
  },
  ru: {
    pending: {
      stars: (order: number, amount: string) =>
        `↩️ Оплата заказа №${order} (${amount}) возвращается: звёзды уже на пути к вашему балансу.`,
      telegram: (order: number, amount: string) =>
        `↩️ Магазин вернёт ${amount} за заказ №${order} на вашу карту.`,
      simulated: (order: number, amount: string) =>
        `↩️ Оплата заказа №${order} (${amount}) будет возвращена.`,
    } satisfies Record<PaymentMethod, (order: number, amount: string) => string>,
    refunded: (order: number, amount: string) => `💸 Оплата заказа №${order} (${amount}) возвращена.`,
    refundedStars: (order: number, amount: string) =>
      `💸 Оплата заказа №${order} (${amount}) возвращена на ваш баланс Telegram Stars.`,
    reasons: {
      order_cancelled: 'Магазин отменил заказ.',
      order_expired: 'Оплата пришла, когда бронь заказа уже истекла.',
      already_paid: 'Заказ уже был оплачен: это был повторный платёж.',
      not_payable: 'Заказ не мог принять этот платёж.',
    } satisfies Record<RefundReason, string>,
  },
} as const;

export const isRefundReason = (reason: string | null): reason is RefundReason =>
  (refundReasons as readonly (string | null)[]).includes(reason);

/**
 * The first lines of a refund's message, in `language`: that the money is on its way back (Stars
 * by Telegram; a provider payment by the shop, to the card) or is back, and why, in a sentence.
 */
export function refundLines(news: RefundNews, language: Language): string[] {
  const text = texts[language];
  const { orderId, amount, reason } = news;
  const first =
    news.kind === 'payment.refund_pending'
      ? text.pending[news.method ?? 'simulated'](orderId, amount)
      : (news.method === 'stars' ? text.refundedStars : text.refunded)(orderId, amount);
  return reason ? [first, text.reasons[reason]] : [first];
}

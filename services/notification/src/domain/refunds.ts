import { refundReasons, type Language, type PaymentMethod, type RefundReason } from '@shop/shared';

/** What the buyer is told of a refund, from `payment.refund_pending` or `payment.refunded`. */
export interface RefundNews {
  kind: 'payment.refund_pending' | 'payment.refunded';
  /** Null for money taken for an invoice that names no order of the shop. */
  orderId: number | null;
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
    noOrder: {
      pending: {
        stars: (amount: string) =>
          `↩️ Your payment of ${amount} is being refunded: the Stars are on their way back to your balance.`,
        telegram: (amount: string) => `↩️ The shop will refund your payment of ${amount} to your card.`,
        simulated: (amount: string) => `↩️ Your payment of ${amount} will be refunded.`,
      } satisfies Record<PaymentMethod, (amount: string) => string>,
      refunded: (amount: string) => `💸 Your payment of ${amount} was refunded.`,
      refundedStars: (amount: string) =>
        `💸 Your payment of ${amount} was refunded to your Telegram Stars balance.`,
      why: 'It was not for an order of this shop.',
    },
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
    noOrder: {
      pending: {
        stars: (amount: string) =>
          `↩️ Ваш платёж (${amount}) возвращается: звёзды уже на пути к вашему балансу.`,
        telegram: (amount: string) => `↩️ Магазин вернёт ваш платёж (${amount}) на вашу карту.`,
        simulated: (amount: string) => `↩️ Ваш платёж (${amount}) будет возвращён.`,
      } satisfies Record<PaymentMethod, (amount: string) => string>,
      refunded: (amount: string) => `💸 Ваш платёж (${amount}) возвращён.`,
      refundedStars: (amount: string) => `💸 Ваш платёж (${amount}) возвращён на ваш баланс Telegram Stars.`,
      why: 'Он был не за заказ этого магазина.',
    },
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
  if (orderId === null) {
    const words = text.noOrder;
    return [
      news.kind === 'payment.refund_pending'
        ? words.pending[news.method ?? 'simulated'](amount)
        : (news.method === 'stars' ? words.refundedStars : words.refunded)(amount),
      words.why,
    ];
  }
  const first =
    news.kind === 'payment.refund_pending'
      ? text.pending[news.method ?? 'simulated'](orderId, amount)
      : (news.method === 'stars' ? text.refundedStars : text.refunded)(orderId, amount);
  return reason ? [first, text.reasons[reason]] : [first];
}

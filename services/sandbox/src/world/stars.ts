import type { StarTransaction, User } from 'grammy/types';
import type { EventBus } from './events.ts';

/** What a user has before anyone sets it: enough for a newcomer to pay for a few things. */
export const DEFAULT_STARS_BALANCE = 10_000;

/** A charge Telegram made: an invoice paid in Stars or by card, and whether it went back. */
export interface Charge {
  telegramPaymentChargeId: string;
  /** The provider's id; empty for Telegram Stars. */
  providerPaymentChargeId: string;
  userId: number;
  currency: string;
  totalAmount: number;
  invoicePayload: string;
  /** The invoice message it paid; none for an invoice link or a payment the control API made. */
  messageId?: number;
  /** Unix seconds. */
  date: number;
  /** Unix seconds; refunds exist for Stars only, through refundStarPayment. */
  refundedAt?: number;
}

type Refund = { refunded: Charge } | { error: 'not_found' | 'already_refunded' };

/**
 * Each user's Telegram Stars, the charges made, and the bot's Star transactions (payments in,
 * refunds out) in the order they happened, as getStarTransactions lists them.
 */
export class Stars {
  readonly #balances = new Map<number, number>();
  readonly #charges = new Map<string, Charge>();
  #transactions: StarTransaction[] = [];
  readonly #events: EventBus;

  constructor(events: EventBus) {
    this.#events = events;
  }

  balance(userId: number): number {
    return this.#balances.get(userId) ?? DEFAULT_STARS_BALANCE;
  }

  setBalance(userId: number, balance: number): void {
    this.#balances.set(userId, balance);
    this.#events.publish({ type: 'stars', chatId: userId, balance });
  }

  /** Takes `amount` Stars from the user; false (and nothing taken) if they have fewer. */
  take(userId: number, amount: number): boolean {
    const balance = this.balance(userId);
    if (balance < amount) return false;
    this.setBalance(userId, balance - amount);
    return true;
  }

  /** Records a charge already made; a Stars one becomes the bot's incoming transaction. */
  record(charge: Charge, user: User): void {
    this.#charges.set(charge.telegramPaymentChargeId, charge);
    if (charge.currency !== 'XTR') return;
    this.#transactions.push({
      id: charge.telegramPaymentChargeId,
      amount: charge.totalAmount,
      date: charge.date,
      source: {
        type: 'user',
        transaction_type: 'invoice_payment',
        user,
        invoice_payload: charge.invoicePayload,
      },
    });
  }

  /** Gives a Stars payment back to the user who made it, once. */
  refund(userId: number, chargeId: string, user: User, date: number): Refund {
    const charge = this.#charges.get(chargeId);
    if (!charge || charge.userId !== userId || charge.currency !== 'XTR') return { error: 'not_found' };
    if (charge.refundedAt !== undefined) return { error: 'already_refunded' };
    charge.refundedAt = date;
    this.setBalance(userId, this.balance(userId) + charge.totalAmount);
    this.#transactions.push({
      id: charge.telegramPaymentChargeId,
      amount: charge.totalAmount,
      date,
      receiver: {
        type: 'user',
        transaction_type: 'invoice_payment',
        user,
        invoice_payload: charge.invoicePayload,
      },
    });
    return { refunded: charge };
  }

  charges(userId?: number): Charge[] {
    const all = [...this.#charges.values()];
    return userId === undefined ? all : all.filter((charge) => charge.userId === userId);
  }

  transactions(offset: number, limit: number): StarTransaction[] {
    return this.#transactions.slice(offset, offset + limit);
  }

  clear(): void {
    this.#balances.clear();
    this.#charges.clear();
    this.#transactions = [];
  }
}

import { describe, expect, it } from 'vitest';
import { paymentVerdict, preCheckoutRefusal, type InvoiceState } from '../src/domain/invoice-rules.ts';
import { methodFor } from '../src/domain/method.ts';
import { retryDelayMs } from '../src/workers/star-refunds.ts';
import { TelegramApiError } from '../src/telegram/bot-api.ts';

const buyer = crypto.randomUUID();
const invoice: InvoiceState = {
  userId: buyer,
  method: 'telegram',
  amountCents: 1_500,
  currency: 'EUR',
  cancelReason: null,
  paid: false,
};
const amount = { currency: 'EUR', totalAmount: 1_500 };

describe('how an order is paid', () => {
  it('takes XTR in Stars always, other currencies by the provider when one is connected', () => {
    for (const production of [false, true]) {
      for (const channel of [undefined, 'chat', 'mini_app'] as const) {
        expect(methodFor('XTR', channel, { hasProvider: false, production })).toBe('stars');
        expect(methodFor('XTR', channel, { hasProvider: true, production })).toBe('stars');
        expect(methodFor('EUR', channel, { hasProvider: true, production })).toBe('telegram');
      }
    }
  });

  it('charges other currencies through the simulated provider without one, except in production', () => {
    expect(methodFor('EUR', undefined, { hasProvider: false, production: false })).toBe('simulated');
    expect(methodFor('EUR', 'mini_app', { hasProvider: false, production: false })).toBe('simulated');
    expect(methodFor('EUR', undefined, { hasProvider: false, production: true })).toBeUndefined();
  });

  it('charges a browser order by the web method (the simulated provider), never by a Telegram invoice', () => {
    expect(methodFor('EUR', 'web', { hasProvider: true, production: false })).toBe('simulated');
    expect(methodFor('EUR', 'web', { hasProvider: false, production: false })).toBe('simulated');
    // No web provider in production yet, and Stars are never paid outside Telegram.
    expect(methodFor('EUR', 'web', { hasProvider: true, production: true })).toBeUndefined();
    expect(methodFor('XTR', 'web', { hasProvider: true, production: false })).toBeUndefined();
  });
});

describe('pre-checkout', () => {
  it("lets the buyer pay their invoice's amount", () => {
    expect(preCheckoutRefusal(invoice, buyer, amount)).toBeUndefined();
  });

  it('refuses, in this order: not the buyer, cancelled or expired, paid, another currency, another amount', () => {
    const other = crypto.randomUUID();
    expect(preCheckoutRefusal(undefined, buyer, amount)).toBe('not_found');
    expect(preCheckoutRefusal(invoice, other, amount)).toBe('not_found');
    expect(preCheckoutRefusal({ ...invoice, cancelReason: 'expired', paid: true }, buyer, amount)).toBe(
      'expired',
    );
    for (const cancelReason of ['buyer', 'merchant', 'out_of_stock'] as const)
      expect(preCheckoutRefusal({ ...invoice, cancelReason, paid: true }, buyer, amount)).toBe('cancelled');
    expect(preCheckoutRefusal({ ...invoice, paid: true }, buyer, { currency: 'USD', totalAmount: 1 })).toBe(
      'already_paid',
    );
    expect(preCheckoutRefusal(invoice, buyer, { currency: 'USD', totalAmount: 1 })).toBe('unknown_currency');
    expect(preCheckoutRefusal(invoice, buyer, { currency: 'EUR', totalAmount: 1_499 })).toBe('price_changed');
  });
});

describe('a payment Telegram took', () => {
  it('is kept when its invoice could be paid', () => {
    expect(paymentVerdict(invoice, buyer, amount)).toEqual({ status: 'succeeded' });
  });

  it('is owed back, with why, when it could not', () => {
    const owed = (reason: string) => ({ status: 'refund_pending', reason });
    expect(paymentVerdict(undefined, buyer, amount)).toEqual(owed('not_payable'));
    expect(paymentVerdict(invoice, crypto.randomUUID(), amount)).toEqual(owed('not_payable'));
    expect(paymentVerdict({ ...invoice, cancelReason: 'expired' }, buyer, amount)).toEqual(
      owed('order_expired'),
    );
    expect(paymentVerdict({ ...invoice, cancelReason: 'buyer' }, buyer, amount)).toEqual(
      owed('order_cancelled'),
    );
    expect(paymentVerdict({ ...invoice, paid: true }, buyer, amount)).toEqual(owed('already_paid'));
    expect(paymentVerdict(invoice, buyer, { currency: 'EUR', totalAmount: 1 })).toEqual(owed('not_payable'));
    expect(paymentVerdict(invoice, buyer, { currency: 'XTR', totalAmount: 1_500 })).toEqual(
      owed('not_payable'),
    );
  });
});

describe('a Stars refund that failed', () => {
  it('waits the interval, doubling with each failure, at most 10 minutes, and never less than Telegram asks', () => {
    expect([0, 1, 2, 3].map((attempts) => retryDelayMs(attempts, 2_000, new Error('down')))).toEqual([
      2_000, 4_000, 8_000, 16_000,
    ]);
    expect(retryDelayMs(40, 2_000, new Error('down'))).toBe(600_000);
    const throttled = new TelegramApiError('refundStarPayment', 429, 'Too Many Requests', 30);
    expect(retryDelayMs(0, 2_000, throttled)).toBe(30_000);
  });
});

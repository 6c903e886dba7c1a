/** What the order alone says about paying an invoice now (the pure half of pre-checkout). */
import { describe, expect, it } from 'vitest';
import type { Order } from '../src/clients/order.ts';
import { orderVerdict, PAY_MARGIN_MS } from '../src/payments/pre-checkout.ts';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const order = (change: Partial<Order> = {}): Order => ({
  id: '12',
  status: 'awaiting_payment',
  items: [{ productId: '1', name: 'Tea', unitPriceCents: 650, quantity: 2 }],
  totalCents: 1_300,
  currency: 'EUR',
  createdAt: '2026-12-04T11:55:00Z',
  reservedUntil: '2026-12-04T12:10:00Z',
  ...change,
});
const query = { invoicePayload: 'order:12', currency: 'EUR', totalAmount: 1_300 };

describe('the order’s verdict on a pre-checkout', () => {
  it('takes an order awaiting payment, its reservation running, at its total', () => {
    expect(orderVerdict(order(), query, NOW)).toEqual({ ok: true });
  });

  it('takes a reservation with the margin left, refuses one with less (the sweep would cancel it while the buyer pays)', () => {
    const at = (seconds: number) => order({ reservedUntil: new Date(NOW + seconds * 1_000).toISOString() });
    expect(PAY_MARGIN_MS).toBe(30_000);
    expect(orderVerdict(at(30), query, NOW)).toEqual({ ok: true });
    expect(orderVerdict(at(29), query, NOW)).toEqual({ ok: false, reason: 'expired' });
    expect(orderVerdict(at(1), query, NOW)).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['no such order (or someone else’s)', undefined, 'not_found'],
    ['an order whose stock is still being reserved', order({ status: 'pending' }), 'not_ready'],
    ['an order cancelled by the buyer', order({ status: 'cancelled', cancelReason: 'buyer' }), 'cancelled'],
    ['an order cancelled as expired', order({ status: 'cancelled', cancelReason: 'expired' }), 'expired'],
    ['an order whose payment failed', order({ status: 'payment_failed' }), 'cancelled'],
    ['a paid order', order({ status: 'paid' }), 'already_paid'],
    ['a shipped order', order({ status: 'shipped' }), 'already_paid'],
    ['a delivered order', order({ status: 'delivered' }), 'already_paid'],
    ['a reservation that ran out', order({ reservedUntil: '2026-12-04T11:59:59Z' }), 'expired'],
    ['another total', order({ totalCents: 1_250 }), 'price_changed'],
    ['another currency', order({ currency: 'USD' }), 'price_changed'],
    ['a status this bot does not know', order({ status: 'on_hold' }), 'unavailable'],
  ])('refuses %s', (_, seen, reason) => {
    expect(orderVerdict(seen, query, NOW)).toEqual({ ok: false, reason });
  });
});

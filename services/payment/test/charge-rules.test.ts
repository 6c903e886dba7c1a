import { createEvent, declineReasons } from '@shop/shared';
import { describe, expect, it } from 'vitest';
import { MAX_REASON_LENGTH, outcomeEvent, paymentOf, refundEvent } from '../src/domain/charge.ts';

const order = createEvent('stock.reserved', {
  orderId: 42,
  userId: crypto.randomUUID(),
  items: [{ productId: 1, name: 'Tea', unitPriceCents: 450, quantity: 2 }],
  totalCents: 900,
  currency: 'EUR',
}).data;
const made = { id: crypto.randomUUID(), createdAt: new Date('2026-01-02T03:04:05Z') };

describe('a charge', () => {
  it('records the whole order total as paid, with no reason', () => {
    expect(paymentOf(order, { status: 'succeeded' }, 'simulated', made)).toEqual({
      ...made,
      orderId: 42,
      userId: order.userId,
      status: 'succeeded',
      method: 'simulated',
      amountCents: 900,
      currency: 'EUR',
      reason: null,
    });
  });

  it("cuts a provider's long decline reason to what the payment row holds", () => {
    const payment = paymentOf(order, { status: 'failed', reason: 'x'.repeat(2_000) }, 'simulated', made);
    expect(payment.status).toBe('failed');
    expect(payment.reason).toHaveLength(MAX_REASON_LENGTH);
  });

  it('announces a success as payment.succeeded carrying the order items, at the time it was paid', () => {
    const payment = paymentOf(order, { status: 'succeeded' }, 'simulated', made);
    const event = outcomeEvent(payment, order.items, 'corr-1');
    expect(event).toMatchObject({
      type: 'payment.succeeded',
      correlationId: 'corr-1',
      occurredAt: '2026-01-02T03:04:05.000Z',
      data: { paymentId: made.id, orderId: 42, amountCents: 900, currency: 'EUR', items: order.items },
    });
    expect(event.data).not.toHaveProperty('reason');
  });

  it('announces a decline as payment.failed with its reason code', () => {
    const reason = declineReasons.amountLimitExceeded;
    const payment = paymentOf(order, { status: 'failed', reason }, 'simulated', made);
    expect(outcomeEvent(payment, order.items, 'corr-2')).toMatchObject({
      type: 'payment.failed',
      data: { orderId: 42, reason },
    });
  });

  it('announces a refund as payment.refunded with the amount given back, in the order flow', () => {
    const payment = paymentOf(order, { status: 'succeeded' }, 'simulated', made);
    expect(refundEvent(payment, 'corr-3')).toMatchObject({
      type: 'payment.refunded',
      correlationId: 'corr-3',
      data: { paymentId: made.id, orderId: 42, userId: order.userId, amountCents: 900, currency: 'EUR' },
    });
  });
});

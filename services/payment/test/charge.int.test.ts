import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declineReasons } from '@shop/shared';
import { createRig, eventually, stockReserved, type Rig } from './harness.ts';

const LIMIT = 5_000;
let rig: Rig;
let payment: Awaited<ReturnType<Rig['start']>>;

beforeAll(async () => {
  rig = await createRig('charge');
  payment = await rig.start({ env: { PAYMENT_DECLINE_ABOVE_CENTS: String(LIMIT) } });
});
afterAll(async () => {
  await rig.close();
});

/** Publishes stock.reserved and waits for the one outcome event it leads to. */
async function charge(event: ReturnType<typeof stockReserved>) {
  await rig.publish(event);
  return eventually(() => {
    const outcomes = rig.outcomesFor(event.data.orderId);
    expect(outcomes).toHaveLength(1);
    return outcomes[0]!;
  });
}

describe('stock.reserved', () => {
  it('records a successful payment and publishes payment.succeeded in the order flow', async () => {
    const order = stockReserved({ totalCents: 1_250 });

    const { message, event } = await charge(order);

    const [recorded] = await rig.paymentsFor(order.data.orderId);
    expect(recorded).toMatchObject({
      orderId: order.data.orderId,
      userId: order.data.userId,
      status: 'succeeded',
      amountCents: 1_250,
      currency: 'EUR',
      reason: null,
    });
    expect(event).toStrictEqual({
      id: expect.any(String),
      type: 'payment.succeeded',
      occurredAt: recorded!.createdAt.toISOString(),
      correlationId: order.correlationId,
      data: {
        paymentId: recorded!.id,
        orderId: order.data.orderId,
        userId: order.data.userId,
        amountCents: 1_250,
        currency: 'EUR',
        items: order.data.items,
        method: 'simulated',
      },
    });
    expect(message.properties.messageId).toBe(event.id);
    expect(message.properties.deliveryMode).toBe(2);
    expect(message.fields.routingKey).toBe('payment.succeeded');
  });

  it('declines a total above PAYMENT_DECLINE_ABOVE_CENTS and publishes payment.failed with the reason', async () => {
    const order = stockReserved({ totalCents: LIMIT + 1 });

    const { message, event } = await charge(order);

    const [recorded] = await rig.paymentsFor(order.data.orderId);
    expect(recorded).toMatchObject({
      status: 'failed',
      amountCents: LIMIT + 1,
      reason: declineReasons.amountLimitExceeded,
    });
    expect(event).toMatchObject({
      type: 'payment.failed',
      correlationId: order.correlationId,
      data: {
        paymentId: recorded!.id,
        orderId: order.data.orderId,
        amountCents: LIMIT + 1,
        reason: declineReasons.amountLimitExceeded,
      },
    });
    expect(message.fields.routingKey).toBe('payment.failed');
  });

  it('accepts a total exactly at the limit', async () => {
    const order = stockReserved({ totalCents: LIMIT });

    const { event } = await charge(order);

    expect(event.type).toBe('payment.succeeded');
  });
});

describe('GET /ready', () => {
  it('reports postgres and rabbitmq', async () => {
    const res = await payment.app.request('/ready');

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { postgres: 'ok', rabbitmq: 'ok' } });
  });
});

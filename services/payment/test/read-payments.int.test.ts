import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRig, eventually, stockReserved, type Rig } from './harness.ts';

let rig: Rig;
let payment: Awaited<ReturnType<Rig['start']>>;

beforeAll(async () => {
  rig = await createRig('reads');
  payment = await rig.start({ env: { PAYMENT_DECLINE_ABOVE_CENTS: '100000' } });
});
afterAll(async () => {
  await rig.close();
});

const get = (path: string, headers: Record<string, string> = {}) => payment.app.request(path, { headers });

/** A user with an order the service has charged. */
async function chargedOrder(totalCents = 1_999) {
  const buyer = await rig.user();
  const order = stockReserved({ totalCents, userId: buyer.id });
  await rig.publish(order);
  const [recorded] = await eventually(async () => {
    const found = await rig.paymentsFor(order.data.orderId);
    expect(found).toHaveLength(1);
    return found;
  });
  return { buyer, orderId: order.data.orderId, paymentId: recorded!.id };
}

describe('GET /payments?orderId=', () => {
  it("lists the payment of the user's own order", async () => {
    const { buyer, orderId, paymentId } = await chargedOrder();

    const res = await get(`/payments?orderId=${orderId}`, buyer.headers);

    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual([
      {
        id: paymentId,
        orderId,
        status: 'succeeded',
        amountCents: 1_999,
        currency: 'EUR',
        method: 'simulated',
      },
    ]);
  });

  it('lists a declined payment as failed', async () => {
    const { buyer, orderId } = await chargedOrder(100_001);

    const res = await get(`/payments?orderId=${orderId}`, buyer.headers);

    expect(await res.json()).toMatchObject([{ orderId, status: 'failed', amountCents: 100_001 }]);
  });

  it("answers someone else's charged order exactly as an order that does not exist: 200 []", async () => {
    const { orderId } = await chargedOrder();
    const stranger = await rig.user();
    const unknownOrderId = stockReserved().data.orderId;
    const answer = async (id: number) => {
      const res = await get(`/payments?orderId=${id}`, stranger.headers);
      return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
    };

    const theirs = await answer(orderId);
    const unknown = await answer(unknownOrderId);

    expect(theirs).toStrictEqual(unknown);
    expect(theirs).toStrictEqual({ status: 200, type: 'application/json', body: '[]' });
  });

  it('returns an empty list for an order not charged yet', async () => {
    const buyer = await rig.user();

    const res = await get(`/payments?orderId=${stockReserved().data.orderId}`, buyer.headers);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });

  it('returns 401 without a token or with a bad one', async () => {
    const { orderId } = await chargedOrder();

    const missing = await get(`/payments?orderId=${orderId}`);
    const bad = await get(`/payments?orderId=${orderId}`, { Authorization: 'Bearer not-a-token' });

    expect(missing.status).toBe(401);
    expect(bad.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it.each([
    '',
    '?orderId=',
    '?orderId=abc',
    '?orderId=0',
    '?orderId=-3',
    '?orderId=1.5',
    '?orderId=12345678901234567',
  ])('returns 400 for the query %j', async (query) => {
    const buyer = await rig.user();

    const res = await get(`/payments${query}`, buyer.headers);

    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', details: expect.any(Array) },
    });
  });
});

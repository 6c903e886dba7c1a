import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, type CancelReason, type EventEnvelope } from '@shop/shared';
import {
  createSimulatedProvider,
  ProviderUnavailableError,
  type PaymentProvider,
} from '../src/provider/provider.ts';
import { createRig, eventually, stockReserved, type Rig, handledBy } from './harness.ts';

const LIMIT = 5_000;
let rig: Rig;
let payment: Awaited<ReturnType<Rig['start']>>;
const simulated = createSimulatedProvider({ declineAboveCents: LIMIT });
/** Orders whose charge waits for the test to let it go, and the calls the provider got. */
const held = new Map<number, { reached: () => void; release: Promise<void> }>();
const refundFailures = new Set<number>();
const calls: { kind: 'charge' | 'refund'; orderId: number }[] = [];

beforeAll(async () => {
  rig = await createRig('cancellation', [100]);
  const provider: PaymentProvider = {
    ...simulated,
    async charge(request) {
      calls.push({ kind: 'charge', orderId: request.orderId });
      const hold = held.get(request.orderId);
      if (hold) {
        hold.reached();
        await hold.release;
      }
      return simulated.charge(request);
    },
    async refund(request) {
      calls.push({ kind: 'refund', orderId: request.orderId });
      if (refundFailures.delete(request.orderId)) throw new ProviderUnavailableError('refund timed out');
      return simulated.refund(request);
    },
  };
  payment = await rig.start({ provider });
});
afterAll(async () => {
  await rig.close();
});

const cancelled = (order: ReturnType<typeof stockReserved>, reason: CancelReason = 'expired') =>
  createEvent('order.cancelled', {
    orderId: order.data.orderId,
    userId: order.data.userId,
    reason,
    items: order.data.items,
  });

/** Waits until the consumer has committed the message (its inbox row exists). */
const handled = (event: EventEnvelope) => handledBy(rig, payment, event);

const eventTypes = (orderId: number) => rig.outcomesFor(orderId).map(({ event }) => event.type as string);
const callsFor = (orderId: number) =>
  calls.filter((call) => call.orderId === orderId).map((call) => call.kind);
const statusOf = async (orderId: number) => (await rig.paymentsFor(orderId)).map((p) => p.status);

describe('a cancelled order', () => {
  it('is refunded exactly once when it was charged, however often its cancellation arrives', async () => {
    const order = stockReserved({ totalCents: 1_250 });
    await rig.publish(order);
    await eventually(() => expect(eventTypes(order.data.orderId)).toEqual(['payment.succeeded']));
    const cancellation = cancelled(order);

    await Promise.all([rig.publish(cancellation), rig.publish(cancellation)]);
    await rig.publish(cancelled(order, 'buyer'));

    await eventually(() =>
      expect(eventTypes(order.data.orderId)).toEqual(['payment.succeeded', 'payment.refunded']),
    );
    await handled(cancellation);
    await eventually(async () => expect(await statusOf(order.data.orderId)).toEqual(['refunded']));
    const [recorded] = await rig.paymentsFor(order.data.orderId);
    expect(recorded!.refundedAt).toBeInstanceOf(Date);
    expect(rig.outcomesFor(order.data.orderId)[1]!.event).toMatchObject({
      type: 'payment.refunded',
      correlationId: cancellation.correlationId,
      data: {
        paymentId: recorded!.id,
        orderId: order.data.orderId,
        userId: order.data.userId,
        amountCents: 1_250,
        currency: 'EUR',
      },
    });
    // The last copy behind them all: once it is handled, nothing more is refunded.
    const last = cancelled(order);
    await rig.publish(last);
    await handled(last);
    expect(callsFor(order.data.orderId)).toEqual(['charge', 'refund']);
    expect(eventTypes(order.data.orderId)).toEqual(['payment.succeeded', 'payment.refunded']);
  });

  it('is refunded once when the merchant cancels it after payment, the cancellation replayed under new ids', async () => {
    const order = stockReserved({ totalCents: 2_400 });
    await rig.publish(order);
    await eventually(() => expect(eventTypes(order.data.orderId)).toEqual(['payment.succeeded']));
    const byMerchant = createEvent('order.cancelled', {
      ...cancelled(order, 'merchant').data,
      note: 'Sorry, out of this colour',
      wasPaid: true,
    });
    const replayed = createEvent('order.cancelled', byMerchant.data);

    await Promise.all([rig.publish(byMerchant), rig.publish(byMerchant), rig.publish(replayed)]);

    await eventually(() =>
      expect(eventTypes(order.data.orderId)).toEqual(['payment.succeeded', 'payment.refunded']),
    );
    await handled(byMerchant);
    await handled(replayed);
    expect(await statusOf(order.data.orderId)).toEqual(['refunded']);
    expect(callsFor(order.data.orderId)).toEqual(['charge', 'refund']);
    expect(rig.outcomesFor(order.data.orderId)[1]!.event).toMatchObject({ data: { amountCents: 2_400 } });
  });

  it('is never charged when its cancellation arrives before its reservation', async () => {
    const order = stockReserved();
    const cancellation = cancelled(order);
    // Handled first: the consumer takes several messages at once, so publishing first is not enough.
    await rig.publish(cancellation);
    await handled(cancellation);

    await rig.publish(order);

    await handled(order);
    expect(await rig.paymentsFor(order.data.orderId)).toEqual([]);
    expect(callsFor(order.data.orderId)).toEqual([]);
    expect(eventTypes(order.data.orderId)).toEqual([]);
  });

  it('is refunded when the cancellation arrives while its charge is in flight', async () => {
    const order = stockReserved();
    let reached = () => {};
    let release = () => {};
    const charging = new Promise<void>((resolve) => (reached = resolve));
    held.set(order.data.orderId, { reached, release: new Promise((resolve) => (release = resolve)) });

    await rig.publish(order);
    await charging;
    const cancellation = cancelled(order);
    await rig.publish(cancellation);
    release();

    await eventually(() =>
      expect(eventTypes(order.data.orderId)).toEqual(['payment.succeeded', 'payment.refunded']),
    );
    await handled(cancellation);
    expect(await statusOf(order.data.orderId)).toEqual(['refunded']);
    expect(callsFor(order.data.orderId)).toEqual(['charge', 'refund']);
  });

  it('has nothing refunded when its payment was declined', async () => {
    const order = stockReserved({ totalCents: LIMIT + 1 });
    await rig.publish(order);
    await eventually(() => expect(eventTypes(order.data.orderId)).toEqual(['payment.failed']));
    const cancellation = cancelled(order, 'buyer');

    await rig.publish(cancellation);

    await handled(cancellation);
    expect(await statusOf(order.data.orderId)).toEqual(['failed']);
    expect(callsFor(order.data.orderId)).toEqual(['charge']);
  });

  it('is refunded once after the provider failed the first refund', async () => {
    const order = stockReserved();
    await rig.publish(order);
    await eventually(() => expect(eventTypes(order.data.orderId)).toEqual(['payment.succeeded']));
    refundFailures.add(order.data.orderId);

    await rig.publish(cancelled(order));

    await eventually(() =>
      expect(eventTypes(order.data.orderId)).toEqual(['payment.succeeded', 'payment.refunded']),
    );
    expect(callsFor(order.data.orderId)).toEqual(['charge', 'refund', 'refund']);
    expect(await statusOf(order.data.orderId)).toEqual(['refunded']);
  });

  it('shows the buyer the payment as refunded', async () => {
    const buyer = await rig.user();
    const order = stockReserved({ userId: buyer.id });
    await rig.publish(order);
    await eventually(() => expect(eventTypes(order.data.orderId)).toEqual(['payment.succeeded']));
    await rig.publish(cancelled(order, 'buyer'));
    await eventually(async () => expect(await statusOf(order.data.orderId)).toEqual(['refunded']));

    const res = await payment.app.request(`/payments?orderId=${order.data.orderId}`, {
      headers: buyer.headers,
    });

    expect(await res.json()).toMatchObject([{ orderId: order.data.orderId, status: 'refunded' }]);
  });
});

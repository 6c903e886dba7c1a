import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxMessage } from '@shop/shared';
import { Payment } from '../src/db/entities.ts';
import { createSimulatedProvider, type PaymentProvider } from '../src/provider/provider.ts';
import { afterSentinel, createRig, eventually, stockReserved, recordingLogger, type Rig } from './harness.ts';

let rig: Rig;
let first: Awaited<ReturnType<Rig['start']>>;
const replicas = [recordingLogger(), recordingLogger()];

beforeAll(async () => {
  rig = await createRig('once');
  // Two replicas on one database and one queue; a slow provider makes them hold copies at once.
  const env = { PAYMENT_PROVIDER_LATENCY_MS: '50' };
  first = await rig.start({ env, logger: replicas[0]!.logger });
  await rig.start({ env, logger: replicas[1]!.logger });
});
afterAll(async () => {
  await rig.close();
});

/** What a replica logs for each copy of a stock.reserved it handled, whichever way. */
const HANDLED = ['order charged', 'order already has a payment; event ignored', 'duplicate message skipped'];

/**
 * Waits until the replicas have handled all `copies` published for `orderId` (two replicas take
 * them in no set order, so their logs say when), then until a sentinel order is through the
 * outbox behind them: a second payment or outcome would show by then.
 */
async function settled(orderId: number, eventIds: string[], copies: number) {
  await eventually(() =>
    expect(
      replicas
        .flatMap(({ lines }) => lines)
        .filter(
          (line) =>
            HANDLED.includes(line.msg as string) &&
            (line.orderId === orderId || eventIds.includes(line.eventId as string)),
        ),
    ).toHaveLength(copies),
  );
  await afterSentinel(rig.sentinel());
}

describe('exactly one payment per order', () => {
  it('charges once when stock.reserved arrives three times at two consumers', async () => {
    const order = stockReserved();

    await Promise.all([rig.publish(order), rig.publish(order), rig.publish(order)]);

    await settled(order.data.orderId, [order.id], 3);
    expect(await rig.paymentsFor(order.data.orderId)).toHaveLength(1);
    expect(rig.outcomesFor(order.data.orderId)).toHaveLength(1);
    const inbox = await first.orm.em
      .fork()
      .count(InboxMessage, { consumer: `${rig.names.queuePrefix}.orders`, messageId: order.id });
    expect(inbox).toBe(1);
    // Both replicas got a copy: one charged, the other found the message in the inbox.
    const handled = replicas.map(({ lines }) =>
      lines
        .filter((line) => line.orderId === order.data.orderId || line.eventId === order.id)
        .map((line) => line.msg),
    );
    expect(
      handled.every((messages) =>
        messages.some((msg) => msg === 'order charged' || msg === 'duplicate message skipped'),
      ),
    ).toBe(true);
    expect(handled.flat().filter((msg) => msg === 'order charged')).toHaveLength(1);
    // Every copy was acked; none was retried or dead-lettered.
    const { queue, deadLetterQueue } = first.consumer.topology;
    expect((await rig.channel.checkQueue(queue)).messageCount).toBe(0);
    expect((await rig.channel.checkQueue(deadLetterQueue)).messageCount).toBe(0);
  });

  it('charges once when two different stock.reserved events name the same order', async () => {
    const order = stockReserved();
    const again = stockReserved({ orderId: order.data.orderId, userId: order.data.userId });

    await Promise.all([rig.publish(order), rig.publish(again)]);

    await settled(order.data.orderId, [order.id, again.id], 2);
    expect(await rig.paymentsFor(order.data.orderId)).toHaveLength(1);
    expect(rig.outcomesFor(order.data.orderId)).toHaveLength(1);
    const ignored = replicas.flatMap(({ lines }) =>
      lines.filter(
        (line) =>
          line.orderId === order.data.orderId && line.msg === 'order already has a payment; event ignored',
      ),
    );
    expect(ignored).toHaveLength(1);
  });
});

describe('the unique index on order_id', () => {
  let raced: Rig;
  const { logger, lines } = recordingLogger();
  /** The orders another writer races for; the rest (a sentinel's) are charged as usual. */
  const racedOrders = new Set<number>();

  beforeAll(async () => {
    raced = await createRig('raced');
    const simulated = createSimulatedProvider({ declineAboveCents: 100_000 });
    // Another writer (think: a replica not taking the lock) records the order's payment while ours charges.
    const provider: PaymentProvider = {
      ...simulated,
      async charge(request) {
        if (!racedOrders.has(request.orderId)) return simulated.charge(request);
        await instance.orm.em.fork().insert(Payment, {
          id: crypto.randomUUID(),
          orderId: request.orderId,
          userId: crypto.randomUUID(),
          status: 'succeeded',
          amountCents: request.amountCents,
          currency: request.currency,
          reason: null,
          createdAt: new Date(),
        });
        return simulated.charge(request);
      },
    };
    const instance = await raced.start({ provider, logger });
  });
  afterAll(async () => {
    await raced.close();
  });

  it('treats a payment recorded by a racing writer as done: no second payment, no event, no retry', async () => {
    const order = stockReserved();
    racedOrders.add(order.data.orderId);

    await raced.publish(order);

    await eventually(async () => expect(await raced.paymentsFor(order.data.orderId)).toHaveLength(1));
    await eventually(() =>
      expect(lines).toContainEqual(
        expect.objectContaining({
          orderId: order.data.orderId,
          msg: "another consumer recorded this order's payment first; event ignored",
        }),
      ),
    );
    await afterSentinel(raced.sentinel());
    expect(await raced.paymentsFor(order.data.orderId)).toHaveLength(1);
    expect(raced.outcomesFor(order.data.orderId)).toHaveLength(0);
    const messages = lines
      .filter((line) => line.orderId === order.data.orderId || line.messageId === order.id)
      .map((line) => line.msg);
    expect(messages).toContain("another consumer recorded this order's payment first; event ignored");
    expect(messages).not.toContain('handler failed; retrying later');
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxMessage } from '@shop/shared';
import { Payment } from '../src/db/entities.ts';
import { createSimulatedProvider, type PaymentProvider } from '../src/provider/provider.ts';
import { createRig, eventually, orderCreated, recordingLogger, type Rig } from './harness.ts';

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

/** Waits for the payment, then a while longer so that any late duplicate would show. */
async function settled(orderId: number) {
  await eventually(async () => expect(await rig.paymentsFor(orderId)).toHaveLength(1));
  await eventually(() => expect(rig.outcomesFor(orderId)).toHaveLength(1));
  await sleep(400);
}

describe('exactly one payment per order', () => {
  it('charges once when order.created arrives three times at two consumers', async () => {
    const order = orderCreated();

    await Promise.all([rig.publish(order), rig.publish(order), rig.publish(order)]);

    await settled(order.data.orderId);
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

  it('charges once when two different order.created events name the same order', async () => {
    const order = orderCreated();
    const again = orderCreated({ orderId: order.data.orderId, userId: order.data.userId });

    await Promise.all([rig.publish(order), rig.publish(again)]);

    await settled(order.data.orderId);
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

  beforeAll(async () => {
    raced = await createRig('raced');
    const simulated = createSimulatedProvider({ declineAboveCents: 100_000 });
    // Another writer (think: a replica not taking the lock) records the order's payment while ours charges.
    const provider: PaymentProvider = {
      method: simulated.method,
      async charge(request) {
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
    const order = orderCreated();

    await raced.publish(order);

    await eventually(async () => expect(await raced.paymentsFor(order.data.orderId)).toHaveLength(1));
    await sleep(400);
    expect(await raced.paymentsFor(order.data.orderId)).toHaveLength(1);
    expect(raced.outcomesFor(order.data.orderId)).toHaveLength(0);
    const messages = lines
      .filter((line) => line.orderId === order.data.orderId || line.messageId === order.id)
      .map((line) => line.msg);
    expect(messages).toContain("another consumer recorded this order's payment first; event ignored");
    expect(messages).not.toContain('handler failed; retrying later');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_LETTER_REASON_HEADER, LAST_ERROR_HEADER, RETRY_COUNT_HEADER } from '@shop/shared';
import { createSimulatedProvider, type PaymentProvider } from '../src/provider/provider.ts';
import { createRig, eventually, stockReserved, recordingLogger, type Rig } from './harness.ts';
import { createTcpProxy, type TcpProxy } from '@shop/testkit';
import { rabbitmqUrl } from './harness.ts';

describe('a consumer that dies after its commit and before its ack', () => {
  let rig: Rig;
  let proxy: TcpProxy;
  let payment: Awaited<ReturnType<Rig['start']>>;
  const { logger, lines } = recordingLogger();
  /** Set by the provider; runs right after the next commit, which is the charge's. */
  let afterNextCommit: (() => void) | undefined;

  beforeAll(async () => {
    rig = await createRig('redelivery');
    proxy = await createTcpProxy(rabbitmqUrl);
    const simulated = createSimulatedProvider({ declineAboveCents: 100_000 });
    const provider: PaymentProvider = {
      ...simulated,
      charge(request) {
        afterNextCommit = () => proxy.dropConnections();
        return simulated.charge(request);
      },
    };
    payment = await rig.start({ env: { RABBITMQ_URL: proxy.url }, provider, logger });
    payment.orm.em.getEventManager().registerSubscriber({
      afterTransactionCommit: () => {
        const hook = afterNextCommit;
        afterNextCommit = undefined;
        hook?.();
      },
    });
  });
  afterAll(async () => {
    await rig.close();
    await proxy.stop();
  });

  it('changes nothing when the message comes back', async () => {
    const order = stockReserved();

    await rig.publish(order);

    await eventually(() =>
      expect(
        lines.some((line) => line.msg === 'duplicate message skipped' && line.eventId === order.id),
      ).toBe(true),
    );
    expect(await rig.paymentsFor(order.data.orderId)).toHaveLength(1);
    // The relay reconnects too and publishes the outcome once.
    await eventually(() => expect(rig.outcomesFor(order.data.orderId)).toHaveLength(1));
    expect(
      lines.filter((line) => line.msg === 'order charged' && line.orderId === order.data.orderId),
    ).toHaveLength(1);
  });
});

describe('a provider that always fails', () => {
  let rig: Rig;
  let payment: Awaited<ReturnType<Rig['start']>>;

  beforeAll(async () => {
    rig = await createRig('failing', [100, 200]);
    payment = await rig.start({ env: { PAYMENT_PROVIDER_FAILURE_RATE: '1' } });
  });
  afterAll(async () => {
    await rig.close();
  });

  it('is retried the configured number of times, then the message is dead-lettered and nothing recorded', async () => {
    const order = stockReserved();

    await rig.publish(order);

    const dead = await eventually(async () => {
      const message = await rig.channel.get(payment.consumer.topology.deadLetterQueue, { noAck: true });
      expect(message).not.toBe(false);
      return message as Exclude<typeof message, false>;
    });
    const headers = dead.properties.headers as Record<string, unknown>;
    expect(dead.properties.messageId).toBe(order.id);
    expect(headers[RETRY_COUNT_HEADER]).toBe(2);
    expect(headers[DEAD_LETTER_REASON_HEADER]).toBe('retries_exhausted');
    expect(headers[LAST_ERROR_HEADER]).toBe('simulated payment provider failure');
    expect(await rig.paymentsFor(order.data.orderId)).toHaveLength(0);
    expect(rig.outcomesFor(order.data.orderId)).toHaveLength(0);
  });
});

import { describe, expect, it } from 'vitest';
import { declineReasons } from '@shop/shared';
import { createSimulatedProvider, ProviderUnavailableError } from '../src/provider/provider.ts';

const request = (amountCents: number) => ({ orderId: 1, amountCents, currency: 'EUR' });

describe('createSimulatedProvider', () => {
  it('succeeds up to the limit and declines above it with a reason', async () => {
    const provider = createSimulatedProvider({ declineAboveCents: 100 });

    expect(await provider.charge(request(100))).toEqual({ status: 'succeeded' });
    expect(await provider.charge(request(101))).toEqual({
      status: 'failed',
      reason: declineReasons.amountLimitExceeded,
    });
  });

  it('throws a transient error for the configured share of charges', async () => {
    const draws = [0.1, 0.5];
    const provider = createSimulatedProvider({
      declineAboveCents: 100,
      failureRate: 0.3,
      random: () => draws.shift()!,
    });

    await expect(provider.charge(request(1))).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(await provider.charge(request(1))).toEqual({ status: 'succeeded' });
  });

  it('refunds at once, and fails a refund as transiently as a charge', async () => {
    const draws = [0.1, 0.5];
    const provider = createSimulatedProvider({
      declineAboveCents: 100,
      failureRate: 0.3,
      random: () => draws.shift()!,
    });
    const refund = { ...request(1), paymentId: crypto.randomUUID() };

    await expect(provider.refund(refund)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(await provider.refund(refund)).toEqual({ status: 'refunded' });
  });

  it('takes the configured latency', async () => {
    const provider = createSimulatedProvider({ declineAboveCents: 100, latencyMs: 40 });
    const started = performance.now();

    await provider.charge(request(1));

    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });
});

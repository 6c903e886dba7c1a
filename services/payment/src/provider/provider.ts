import { setTimeout as sleep } from 'node:timers/promises';
import { declineReasons } from '@shop/shared';
import type { ChargeResult, RefundResult } from '../domain/charge.ts';

export interface ChargeRequest {
  orderId: number;
  amountCents: number;
  currency: string;
}

export interface RefundRequest extends ChargeRequest {
  /** The payment being given back. */
  paymentId: string;
}

/**
 * A provider this service charges itself (method `simulated`): where money is taken and given
 * back. `charge` and `refund` resolve with a definite outcome and throw only for a transient
 * failure (timeout, outage), which the consumer retries. A real provider must treat `orderId` as
 * the idempotency key of a charge and `paymentId` as that of its refund: a retry after a lost
 * answer must not move the money twice.
 */
export interface PaymentProvider {
  charge(request: ChargeRequest): Promise<ChargeResult>;
  refund(request: RefundRequest): Promise<RefundResult>;
}

/** A transient provider failure: nothing was charged, try again later. */
export class ProviderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}

export interface SimulatedProviderOptions {
  /** Totals above this are declined. */
  declineAboveCents: number;
  /** Each charge waits this long first (default 0). */
  latencyMs?: number;
  /** Share of charges, 0..1, that throw `ProviderUnavailableError` (default 0). */
  failureRate?: number;
  /** Injected so tests can make the failures deterministic. */
  random?: () => number;
}

/**
 * Stands in for a real provider: declines large totals, refunds at once, and can be slow or flaky
 * on purpose (both charges and refunds).
 */
export function createSimulatedProvider(options: SimulatedProviderOptions): PaymentProvider {
  const { declineAboveCents, latencyMs = 0, failureRate = 0, random = Math.random } = options;
  const reach = async () => {
    if (latencyMs > 0) await sleep(latencyMs);
    if (failureRate > 0 && random() < failureRate) {
      throw new ProviderUnavailableError('simulated payment provider failure');
    }
  };
  return {
    async charge({ amountCents }) {
      await reach();
      if (amountCents > declineAboveCents)
        return { status: 'failed', reason: declineReasons.amountLimitExceeded };
      return { status: 'succeeded' };
    },
    async refund() {
      await reach();
      return { status: 'refunded' };
    },
  };
}

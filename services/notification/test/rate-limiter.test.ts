import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/telegram/rate-limiter.ts';

describe('rate limiter', () => {
  it('hands out tokens at most perSecond a second, one at a time', async () => {
    const limiter = createRateLimiter({ perSecond: 100 });
    const granted: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, () => limiter.take().then(() => granted.push(performance.now()))),
    );
    for (let index = 1; index < granted.length; index += 1) {
      expect(granted[index]! - granted[index - 1]!).toBeGreaterThanOrEqual(9.5);
    }
  });

  it('holds everyone back after pauseFor (a 429)', async () => {
    const limiter = createRateLimiter({ perSecond: 1_000 });
    const started = performance.now();
    limiter.pauseFor(150);
    await limiter.take();
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('counts the next turn from when a turn taken ahead was used', async () => {
    let clock = 0;
    const limiter = createRateLimiter({ perSecond: 10, now: () => clock });
    await limiter.take();
    // The caller worked 80 ms before sending: the next send may go 101 ms (100 and the 1 % margin)
    // after that, not after the grant.
    clock = 80;
    limiter.usedNow();
    clock = 100;
    let granted = false;
    const next = limiter.take().then(() => (granted = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(granted).toBe(false);
    clock = 181;
    await next;
  });

  it('counts the turns that fall within a span after the last one, none while paused', async () => {
    let clock = 0;
    const slow = createRateLimiter({ perSecond: 30, now: () => clock });
    const fast = createRateLimiter({ perSecond: 1_000, now: () => clock });
    await slow.take();
    await fast.take();
    expect(slow.turnsWithin(20)).toBe(0);
    expect(slow.turnsWithin(100)).toBe(2);
    // 1.01 ms apart at 1 000/s: 19 of them fit in 20 ms.
    expect(fast.turnsWithin(20)).toBe(19);
    fast.pauseFor(1_000);
    expect(fast.turnsWithin(20)).toBe(0);
    clock = 1_001;
    expect(fast.turnsWithin(20)).toBe(19);
  });

  it('lets a stopping caller out of the queue without a token', async () => {
    const limiter = createRateLimiter({ perSecond: 1 });
    await limiter.take();
    const abort = new AbortController();
    const waiting = limiter.take(abort.signal);
    abort.abort();
    await expect(waiting).rejects.toThrow();
  });
});

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

  it('lets a stopping caller out of the queue without a token', async () => {
    const limiter = createRateLimiter({ perSecond: 1 });
    await limiter.take();
    const abort = new AbortController();
    const waiting = limiter.take(abort.signal);
    abort.abort();
    await expect(waiting).rejects.toThrow();
  });
});

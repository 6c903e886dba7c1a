import { afterAll, describe, expect, it } from 'vitest';
import { createPasswordHasher, HasherBusyError } from '../src/passwords/password-hasher.ts';

const hasher = createPasswordHasher({ cost: 8, workers: 1, queueMax: 2 });
afterAll(() => hasher.close());

describe('the password hasher', () => {
  it('takes one job per worker plus queueMax waiting, and refuses the rest at once with 503 and Retry-After', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => hasher.hash(`password ${i}`)),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
    ]);
    for (const outcome of outcomes.slice(3)) {
      const error = (outcome as PromiseRejectedResult).reason as HasherBusyError;
      expect(error).toBeInstanceOf(HasherBusyError);
      expect(error.status).toBe(503);
      expect(Number(error.headers?.['Retry-After'])).toBeGreaterThanOrEqual(1);
    }
  });

  it('takes jobs again once the line has moved', async () => {
    const hash = await hasher.hash('a good password');
    expect(await hasher.verify('a good password', hash)).toBe(true);
  });
});

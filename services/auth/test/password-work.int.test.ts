import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseName, uniqueEmail } from '@shop/testkit';
import { bearer, json, registerAndLogin, startAuth, type TestAuth } from './harness.ts';

// One worker and room for one job in line: a handful of parallel sign-ups is already a flood.
let auth: TestAuth;
beforeAll(async () => {
  auth = await startAuth(
    { BCRYPT_COST: '8', BCRYPT_WORKERS: '1', BCRYPT_QUEUE_MAX: '1' },
    testDatabaseName('auth_hasher'),
  );
});
afterAll(() => auth.close());

describe('a flood of sign-ups', () => {
  it('answers those the bcrypt queue has no room for with 503 and Retry-After, and /auth/me meanwhile', async () => {
    const { accessToken } = await registerAndLogin(auth.app, uniqueEmail('reader'));
    const emails = Array.from({ length: 12 }, () => uniqueEmail('flood'));
    const [answers, me] = await Promise.all([
      Promise.all(
        emails.map((email) => json(auth.app, 'POST', '/auth/register', { email, password: 'long enough' })),
      ),
      auth.app.request('/auth/me', { headers: bearer(accessToken) }),
    ]);

    expect(me.status).toBe(200);
    const refused = answers.filter((res) => res.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(answers.filter((res) => res.status === 201).length).toBe(12 - refused.length);
    for (const res of refused) {
      expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
      expect(await res.json()).toEqual({
        error: {
          code: 'service_unavailable',
          message: expect.any(String),
          details: { retryAfterSeconds: expect.any(Number) },
        },
      });
    }
    // A refused sign-up made no account: the e-mail is still free.
    const retried = answers.findIndex((res) => res.status === 503);
    const again = await json(auth.app, 'POST', '/auth/register', {
      email: emails[retried],
      password: 'long enough',
    });
    expect(again.status).toBe(201);
  });
});

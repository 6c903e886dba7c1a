import { testDatabaseName, testKeyPrefix, uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type TestAuth, startAuth } from '../../services/auth/test/harness.ts';
import { expectContractAnswer } from '../support/http-contract.ts';

const MAX_FAILURES = 5;
const STORM = 50;

// Two replicas of one auth: one database, one Redis namespace, as behind a load balancer.
let replicas: TestAuth[];
beforeAll(async () => {
  const env = { LOGIN_MAX_FAILURES: String(MAX_FAILURES), LOGIN_LOCK_SECONDS: '30' };
  const dbName = testDatabaseName('auth_throttle');
  const keyPrefix = testKeyPrefix(`auth-throttle:${crypto.randomUUID()}`);
  replicas = [await startAuth(env, dbName, keyPrefix), await startAuth(env, dbName, keyPrefix)];
});
afterAll(async () => {
  for (const replica of replicas) await replica.close();
});

const login = (replica: number, email: string, password: string) =>
  json(replicas[replica % replicas.length]!.app, 'POST', '/auth/login', { email, password });

/** The same address as typed by different people: auth folds them into one account. */
const spellings = (email: string) => [
  email,
  email.toUpperCase(),
  `  ${email}  `,
  email[0]!.toUpperCase() + email.slice(1),
];

/** 50 wrong passwords at once, spread over both replicas and every spelling; the statuses that came back. */
async function storm(email: string) {
  const forms = spellings(email);
  const answers = await Promise.all(
    Array.from({ length: STORM }, (_, i) => login(i, forms[i % forms.length]!, `guess ${i}`)),
  );
  for (const [i, res] of answers.entries()) {
    if (res.status === 429) expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
    await expectContractAnswer(res, { method: 'POST', url: '/auth/login', headers: {}, body: `guess ${i}` });
  }
  const counts: Record<number, number> = {};
  for (const res of answers) counts[res.status] = (counts[res.status] ?? 0) + 1;
  return counts;
}

describe('login throttling under 50 parallel wrong passwords', () => {
  it('checks at most 5 of them across two replicas and four spellings of the e-mail; the rest are 429', async () => {
    const email = uniqueEmail('storm');
    expect(
      (await json(replicas[0]!.app, 'POST', '/auth/register', { email, password: 'the right password' }))
        .status,
    ).toBe(201);

    const counts = await storm(email);

    expect(Object.keys(counts).map(Number).sort()).toEqual([401, 429]);
    expect(counts[401]).toBeLessThanOrEqual(MAX_FAILURES);
    expect(counts[401]! + counts[429]!).toBe(STORM);
    // Locked now: the right password gets nowhere either, on either replica.
    for (const replica of [0, 1])
      expect((await login(replica, email, 'the right password')).status).toBe(429);
  });

  it('throttles an e-mail nobody registered the same way, so the lock tells no one which accounts exist', async () => {
    const counts = await storm(uniqueEmail('nobody'));
    expect(counts[401]).toBeLessThanOrEqual(MAX_FAILURES);
    expect(counts[429]).toBeGreaterThanOrEqual(STORM - MAX_FAILURES);
  });

  it('leaves other accounts alone while one is under attack', async () => {
    const [victim, bystander] = [uniqueEmail('victim'), uniqueEmail('bystander')];
    for (const email of [victim, bystander])
      await json(replicas[1]!.app, 'POST', '/auth/register', { email, password: 'the right password' });
    const [, bystanderLogin] = await Promise.all([storm(victim), login(0, bystander, 'the right password')]);
    expect(bystanderLogin.status).toBe(200);
  });
});

import { testDatabaseName, testKeyPrefix, uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type TestAuth, startAuth } from '../../services/auth/test/harness.ts';
import { newAddress, servedReplicas, statusCounts, type ServedAuth } from '../support/auth-clients.ts';
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

describe('a stranger guessing a password', () => {
  let auth: ServedAuth;
  beforeAll(async () => {
    auth = await servedReplicas({ LOGIN_MAX_FAILURES: String(MAX_FAILURES), LOGIN_LOCK_SECONDS: '30' });
  });
  afterAll(() => auth.close());

  const signUp = async (email: string, from: string) => {
    expect(
      (await auth.post(0, from, '/auth/register', { email, password: 'the right password' })).status,
    ).toBe(201);
  };
  const login = (
    i: number,
    from: string,
    email: string,
    password: string,
    headers?: Record<string, string>,
  ) => auth.post(i, from, '/auth/login', { email, password }, headers);

  it('locks out clients the owner never signed in from, but not the owner where they signed in before', async () => {
    const [home, stranger, newPlace] = [newAddress(), newAddress(), newAddress()];
    const email = uniqueEmail('victim');
    await signUp(email, home);
    expect((await login(0, home, email, 'the right password')).status).toBe(200);

    for (let i = 0; i < MAX_FAILURES; i++)
      expect((await login(i, stranger, email, `guess ${i}`)).status).toBe(401);

    expect((await login(0, stranger, email, 'the right password')).status).toBe(429);
    expect((await login(1, newPlace, email, 'the right password')).status).toBe(429);
    for (const replica of [0, 1])
      expect((await login(replica, home, email, 'the right password')).status).toBe(200);
  });

  it('checks at most 5 of 50 parallel guesses that come from 10 different addresses', async () => {
    const email = uniqueEmail('spread');
    await signUp(email, newAddress());
    const addresses = Array.from({ length: 10 }, newAddress);
    const answers = await Promise.all(
      Array.from({ length: STORM }, (_, i) =>
        login(i, addresses[i % addresses.length]!, email, `guess ${i}`),
      ),
    );
    const counts = statusCounts(answers);
    expect(counts[401]).toBeLessThanOrEqual(MAX_FAILURES);
    expect(counts[401]! + counts[429]!).toBe(STORM);
  });

  it('keeps the Telegram user who signed in through the bot signed in while another chat guesses', async () => {
    const bot = newAddress();
    const asBot = (telegramId: number) => ({
      'X-Service-Token': auth.config.BOT_SERVICE_TOKEN,
      'X-Client-Id': `telegram:${telegramId}`,
    });
    const email = uniqueEmail('chat-owner');
    await signUp(email, bot);
    expect((await login(0, bot, email, 'the right password', asBot(111))).status).toBe(200);

    for (let i = 0; i < MAX_FAILURES; i++)
      expect((await login(i, bot, email, `guess ${i}`, asBot(222))).status).toBe(401);

    expect((await login(0, bot, email, 'the right password', asBot(222))).status).toBe(429);
    expect((await login(1, bot, email, 'the right password', asBot(111))).status).toBe(200);
    // Naming the owner's chat without the bot's token gets a stranger nothing.
    const forged = await login(0, newAddress(), email, 'the right password', {
      'X-Client-Id': 'telegram:111',
    });
    expect(forged.status).toBe(429);
  });
});

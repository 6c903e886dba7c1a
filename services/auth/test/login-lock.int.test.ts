import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTcpProxy, eventually, testDatabaseName, uniqueEmail } from '@shop/testkit';
import { json, startAuth, type TestAuth } from './harness.ts';

// Short locks so the whole life of a lock fits in a test: 2 failures lock for 1 s, then 2 s at most.
const LOCK = { LOGIN_MAX_FAILURES: '2', LOGIN_LOCK_SECONDS: '1', LOGIN_MAX_LOCK_SECONDS: '2' };
const RIGHT = 'the right password';

// A database of its own: auth replicas on one database relay each other's events.
let auth: TestAuth;
beforeAll(async () => {
  auth = await startAuth(LOCK, testDatabaseName('auth_lock'));
});
afterAll(() => auth.close());

const login = (email: string, password: string, app = auth.app) =>
  json(app, 'POST', '/auth/login', { email, password });
const retryAfter = (res: Response) => Number(res.headers.get('Retry-After'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits out the lock a 429 announced. */
const waitOut = (res: Response) => sleep(retryAfter(res) * 1000 + 100);

async function lockedAccount(app = auth.app): Promise<{ email: string; locked: Response }> {
  const email = uniqueEmail('lock');
  expect((await json(app, 'POST', '/auth/register', { email, password: RIGHT })).status).toBe(201);
  for (const guess of ['wrong 1', 'wrong 2']) expect((await login(email, guess, app)).status).toBe(401);
  const locked = await login(email, RIGHT, app);
  expect(locked.status).toBe(429);
  return { email, locked };
}

/** The Retry-After of a lock of `seconds` set no earlier than `since`: the time left, rounded up. */
function expectRemaining(res: Response, seconds: number, since: number) {
  expect(res.status).toBe(429);
  const elapsed = (Date.now() - since) / 1000;
  expect(retryAfter(res)).toBeLessThanOrEqual(seconds);
  expect(retryAfter(res)).toBeGreaterThanOrEqual(Math.ceil(seconds - elapsed));
}

describe('the login lock', () => {
  it('ends after LOGIN_LOCK_SECONDS: then the right password signs in', async () => {
    const { email, locked } = await lockedAccount();
    expect(retryAfter(locked)).toBe(1);
    await waitOut(locked);
    expect((await login(email, RIGHT)).status).toBe(200);
  });

  it('lets exactly one of several attempts through once it has passed', async () => {
    const { email, locked } = await lockedAccount();
    await waitOut(locked);
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((guess) => login(email, `wrong ${guess}`)));
    expect(answers.map((res) => res.status).sort()).toEqual([401, 429, 429, 429]);
  });

  it('doubles after each wrong attempt that follows a lock, up to LOGIN_MAX_LOCK_SECONDS', async () => {
    const { email, locked } = await lockedAccount();
    let previous = locked;
    for (const seconds of [2, 2]) {
      await waitOut(previous);
      const since = Date.now();
      expect((await login(email, 'still wrong')).status).toBe(401);
      previous = await login(email, RIGHT);
      expectRemaining(previous, seconds, since);
    }
    await waitOut(previous);
    expect((await login(email, RIGHT)).status).toBe(200);
  });

  it('answers Retry-After with the time the lock has left', async () => {
    const { email, locked } = await lockedAccount();
    await waitOut(locked);
    expect((await login(email, 'wrong again')).status).toBe(401);
    const since = Date.now();
    expectRemaining(await login(email, RIGHT), 2, since);
    await sleep(1_100);
    // 2 s lock, over a second gone: one second is left, not the whole lock.
    expect(retryAfter(await login(email, RIGHT))).toBe(1);
  });
});

describe('a login while PostgreSQL is unreachable', () => {
  it('answers 503 and leaves no lock behind once the database is back', async () => {
    const proxy = await createTcpProxy(auth.config.POSTGRES_URL);
    const behindProxy = await startAuth(
      { ...LOCK, POSTGRES_URL: proxy.url },
      testDatabaseName('auth_outage'),
    );
    try {
      const email = uniqueEmail('outage');
      await json(behindProxy.app, 'POST', '/auth/register', { email, password: RIGHT });

      await proxy.stop();
      for (let i = 0; i < 4; i++) {
        const down = await login(email, RIGHT, behindProxy.app);
        expect(down.status).toBe(503);
        expect(down.headers.get('Retry-After')).not.toBeNull();
      }

      await proxy.start();
      await eventually(async () => expect((await login(email, RIGHT, behindProxy.app)).status).toBe(200));
    } finally {
      // Known and open: after this outage, closing the pool can wait forever on a connection the
      // proxy left half-open (seen on 2026-12-04, also on older commits). The test bounds it.
      await Promise.race([behindProxy.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
      await proxy.stop();
    }
  });
});

describe('a login while Redis is unreachable', () => {
  it('answers 503, not 500, and signs in again once Redis is back', async () => {
    const proxy = await createTcpProxy(auth.config.REDIS_URL);
    const behindProxy = await startAuth({ ...LOCK, REDIS_URL: proxy.url }, testDatabaseName('auth_lock'));
    try {
      const email = uniqueEmail('redis-outage');
      await json(behindProxy.app, 'POST', '/auth/register', { email, password: RIGHT });

      await proxy.stop();
      const down = await login(email, RIGHT, behindProxy.app);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ error: { code: 'service_unavailable' } });

      await proxy.start();
      await eventually(async () => expect((await login(email, RIGHT, behindProxy.app)).status).toBe(200));
    } finally {
      await behindProxy.close();
      await proxy.stop();
    }
  });
});

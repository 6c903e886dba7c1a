import { testDatabaseName, testKeyPrefix, uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, listen, send, type TestAuth, startAuth } from '../../services/auth/test/harness.ts';
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

// Every 127.x.y.z is this machine: each address below is another client, over a real socket.
let lastAddress = 10;
const newAddress = () => {
  lastAddress += 1;
  return `127.0.${Math.floor(lastAddress / 250)}.${(lastAddress % 250) + 2}`;
};

/** Two replicas of one auth with `env`, each listening on loopback. */
async function servedReplicas(env: Record<string, string>) {
  const dbName = testDatabaseName('auth_throttle');
  const keyPrefix = testKeyPrefix(`auth-clients:${crypto.randomUUID()}`);
  const started = [await startAuth(env, dbName, keyPrefix), await startAuth(env, dbName, keyPrefix)];
  const servers = await Promise.all(started.map((replica) => listen(replica)));
  return {
    config: started[0]!.config,
    /** A request to replica `i % 2` from address `from`. */
    post: (i: number, from: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
      send(servers[i % 2]!.url, 'POST', path, { from, body, headers }),
    put: (from: string, path: string, body: unknown, headers: Record<string, string>) =>
      send(servers[0]!.url, 'PUT', path, { from, body, headers }),
    close: async () => {
      for (const server of servers) await server.close();
      for (const replica of started) await replica.close();
    },
  };
}
type Served = Awaited<ReturnType<typeof servedReplicas>>;

const statusCounts = (answers: Response[]) => {
  const counts: Record<number, number> = {};
  for (const res of answers) counts[res.status] = (counts[res.status] ?? 0) + 1;
  return counts;
};

describe('a stranger guessing a password', () => {
  let auth: Served;
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

describe("guessing the bot's service token", () => {
  let auth: Served;
  beforeAll(async () => {
    auth = await servedReplicas({ LOGIN_MAX_FAILURES: String(MAX_FAILURES), LOGIN_LOCK_SECONDS: '30' });
  });
  afterAll(() => auth.close());

  const accessToken = async () => {
    const from = newAddress();
    const credentials = { email: uniqueEmail('linker'), password: 'the right password' };
    await auth.post(0, from, '/auth/register', credentials);
    return ((await (await auth.post(0, from, '/auth/login', credentials)).json()) as { accessToken: string })
      .accessToken;
  };
  const link = (from: string, token: string, serviceToken: string) =>
    auth.put(
      from,
      '/auth/me/telegram',
      { telegramId: 1_000_000 + lastAddress },
      { Authorization: `Bearer ${token}`, 'X-Service-Token': serviceToken },
    );

  it('locks the guessing address out after 5 wrong tokens, even for the right one, while the bot goes on', async () => {
    const [attacker, bot] = [newAddress(), newAddress()];
    const token = await accessToken();
    for (let i = 0; i < MAX_FAILURES; i++)
      expect((await link(attacker, token, `guess-guess-guess-${i}`)).status).toBe(403);

    const locked = await link(attacker, token, auth.config.BOT_SERVICE_TOKEN);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('Retry-After'))).toBeGreaterThanOrEqual(29);
    expect(await locked.json()).toMatchObject({ error: { code: 'too_many_requests' } });
    expect((await link(bot, token, auth.config.BOT_SERVICE_TOKEN)).status).toBe(200);
  });

  it('answers at most 5 of 50 parallel guesses, on either replica or through /auth/login', async () => {
    const attacker = newAddress();
    const token = await accessToken();
    const answers = await Promise.all(
      Array.from({ length: STORM }, (_, i) =>
        i % 2 === 0
          ? link(attacker, token, `guess-guess-guess-${i}`)
          : auth.post(
              i,
              attacker,
              '/auth/login',
              { email: uniqueEmail(), password: 'whatever it is' },
              { 'X-Service-Token': `guess-guess-guess-${i}` },
            ),
      ),
    );
    const counts = statusCounts(answers);
    expect(counts[403]).toBeLessThanOrEqual(MAX_FAILURES);
    expect(counts[403]! + counts[429]!).toBe(STORM);
  });
});

describe('rate limits on /auth/register and /auth/login', () => {
  it('lets one address make AUTH_RATE_PER_CLIENT_PER_MINUTE of them a minute, on any replica; others go on', async () => {
    const auth = await servedReplicas({ AUTH_RATE_PER_CLIENT_PER_MINUTE: '3' });
    try {
      const [flooder, neighbour] = [newAddress(), newAddress()];
      const credentials = { email: uniqueEmail('flood'), password: 'the right password' };
      expect((await auth.post(0, flooder, '/auth/register', credentials)).status).toBe(201);
      expect((await auth.post(1, flooder, '/auth/login', credentials)).status).toBe(200);
      expect((await auth.post(0, flooder, '/auth/login', credentials)).status).toBe(200);

      const refused = await auth.post(1, flooder, '/auth/login', credentials);
      expect(refused.status).toBe(429);
      // One request every 20 s after the first three.
      expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(15);
      expect(Number(refused.headers.get('Retry-After'))).toBeLessThanOrEqual(20);
      expect((await auth.post(0, neighbour, '/auth/login', credentials)).status).toBe(200);
    } finally {
      await auth.close();
    }
  });

  it("counts each Telegram user the bot names separately, but a forged name as the sender's address", async () => {
    const auth = await servedReplicas({ AUTH_RATE_PER_CLIENT_PER_MINUTE: '2' });
    try {
      const bot = newAddress();
      const asBot = (telegramId: number) => ({
        'X-Service-Token': auth.config.BOT_SERVICE_TOKEN,
        'X-Client-Id': `telegram:${telegramId}`,
      });
      const credentials = { email: uniqueEmail('chat'), password: 'the right password' };
      await auth.post(0, bot, '/auth/register', credentials, asBot(1));
      for (const telegramId of [1, 2, 3, 4])
        expect((await auth.post(telegramId, bot, '/auth/login', credentials, asBot(telegramId))).status).toBe(
          200,
        );

      const stranger = newAddress();
      const forged = [5, 6, 7].map((telegramId) => ({ 'X-Client-Id': `telegram:${telegramId}` }));
      const answers = [];
      for (const headers of forged)
        answers.push(await auth.post(0, stranger, '/auth/login', credentials, headers));
      expect(answers.map((res) => res.status)).toEqual([200, 200, 429]);
    } finally {
      await auth.close();
    }
  });

  it('refuses what goes over AUTH_RATE_TOTAL_PER_SECOND across replicas with 429 and Retry-After', async () => {
    const auth = await servedReplicas({ AUTH_RATE_TOTAL_PER_SECOND: '1' });
    try {
      const started = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          auth.post(i, newAddress(), '/auth/login', { email: uniqueEmail(), password: 'not known here' }),
        ),
      );
      const elapsedSeconds = (Date.now() - started) / 1000;
      const counts = statusCounts(answers);
      // One at once, then one a second.
      expect(counts[401]).toBeLessThanOrEqual(1 + Math.ceil(elapsedSeconds));
      expect(counts[401]! + counts[429]!).toBe(10);
      for (const res of answers.filter((answer) => answer.status === 429))
        expect(Number(res.headers.get('Retry-After'))).toBe(1);
    } finally {
      await auth.close();
    }
  });
});

/**
 * bench:auth — the p99 of GET /auth/me while 200 parallel logins hammer auth, beside its p99 with
 * no logins running, both measured in this run; prints the ratio. The logins are for e-mails
 * nobody registered (each costs a full bcrypt check, as an attacker's would) and come from 200
 * clients: auth trusts one proxy hop here and each login names its own X-Forwarded-For, so the
 * per-client limit shields nothing and the total limit and the bcrypt queue bound must hold.
 * Meanwhile a real user signs in from a client of their own twice a second.
 */
import { makeServiceToken } from '../scripts/lib/start-env.ts';
import { freePort, load, printTable, startProcess, stopProcess, waitFor } from './lib.ts';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const LOGINS = 200;
const cost = process.env.BCRYPT_COST ?? '12';
const password = 'a good password';
const run = crypto.randomUUID().slice(0, 8);
const randomAddress = () => `198.18.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
console.log(`bench:auth — bcrypt cost ${cost}, ${DURATION_S} s per phase, ${LOGINS} parallel logins`);
const auth = startProcess('services/auth/src/main.ts', {
  AUTH_PORT: String(port),
  BCRYPT_COST: cost,
  TRUST_PROXY_HOPS: '1',
  BOT_SERVICE_TOKEN: makeServiceToken(),
});

/** One login or registration from `client`; its status and how long it took. */
async function post(path: string, email: string, client: string) {
  const started = performance.now();
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { accessToken?: string };
  return { status: res.status, ms: Math.round(performance.now() - started), body };
}

try {
  await waitFor(`${base}/ready`);
  const [reader, user] = [`bench-${run}-reader@example.test`, `bench-${run}-user@example.test`];
  const userClient = randomAddress();
  await post('/auth/register', reader, randomAddress());
  await post('/auth/register', user, userClient);
  const { accessToken } = (await post('/auth/login', reader, randomAddress())).body;
  if (!accessToken) throw new Error('the reader could not sign in');
  await post('/auth/login', user, userClient);

  const meLoad = {
    url: `${base}/auth/me`,
    connections: 10,
    duration: DURATION_S,
    headers: { authorization: `Bearer ${accessToken}` },
  };
  console.log(`  /auth/me alone, ${DURATION_S} s`);
  const alone = await load(meLoad);

  console.log(`  /auth/me during ${LOGINS} parallel logins, ${DURATION_S} s`);
  const storm = { on: true };
  const userLogins: { status: number; ms: number }[] = [];
  const realUser = (async () => {
    await sleep(1_000);
    while (storm.on) {
      userLogins.push(await post('/auth/login', user, userClient));
      await sleep(500);
    }
  })();
  const [logins, during] = await Promise.all([
    load({
      url: `${base}/auth/login`,
      connections: LOGINS,
      duration: DURATION_S,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => ({
            ...request,
            headers: { 'content-type': 'application/json', 'x-forwarded-for': randomAddress() },
            body: JSON.stringify({ email: `nobody-${crypto.randomUUID()}@example.test`, password }),
          }),
        },
      ],
    }),
    load(meLoad),
  ]).finally(() => {
    storm.on = false;
  });
  await realUser;

  printTable([
    { phase: 'no logins', 'me req/s': Math.round(alone.rps), 'me p50 ms': alone.p50, 'me p99 ms': alone.p99 },
    {
      phase: `${LOGINS} parallel logins`,
      'me req/s': Math.round(during.rps),
      'me p50 ms': during.p50,
      'me p99 ms': during.p99,
    },
  ]);
  console.log(
    `logins answered: ${JSON.stringify(logins.statuses ?? {})} (401 checked, 429 over a limit, 503 bcrypt queue full); ${logins.errors} errors or timeouts; p99 ${logins.p99} ms`,
  );
  const userStatuses = userLogins.map((login) => login.status).join(' ');
  const slowest = Math.max(0, ...userLogins.map((login) => login.ms));
  console.log(`a real user's logins meanwhile: ${userStatuses} (slowest ${slowest} ms)`);
  console.log(`/auth/me p99 during logins / alone: ${(during.p99 / Math.max(1, alone.p99)).toFixed(2)}`);
} finally {
  await stopProcess(auth);
}

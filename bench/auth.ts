/**
 * bench:auth — login throughput, and the p99 of GET /auth/me while logins run, for the auth
 * service and for a bare node:http baseline doing the same bcrypt work on its event loop.
 * Same machine, same run, same load: 8 connections logging in, 10 connections reading /auth/me.
 */
import { makeServiceToken } from '../scripts/lib/start-env.ts';
import { freePort, load, printTable, startProcess, stopProcess, waitFor, type LoadResult } from './lib.ts';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const cost = process.env.BCRYPT_COST ?? '12';
const password = 'a good password';
// Several accounts: the login throttle rightly refuses many parallel attempts on one account.
const run = crypto.randomUUID().slice(0, 8);
const emails = Array.from({ length: 16 }, (_, i) => `bench-${run}-${i}@example.test`);
let next = 0;
const loginBody = () => JSON.stringify({ email: emails[next++ % emails.length], password });

async function measure(
  base: string,
  token: string | undefined,
): Promise<{ alone: LoadResult; login: LoadResult; me: LoadResult }> {
  const headers = {
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
  const meLoad = { url: `${base}/auth/me`, connections: 10, duration: DURATION_S, headers };
  console.log(`  ${base}: /auth/me alone, ${DURATION_S} s`);
  const alone = await load(meLoad);
  console.log(`  ${base}: logins + /auth/me together, ${DURATION_S} s`);
  const [login, me] = await Promise.all([
    load({
      url: `${base}/auth/login`,
      connections: 8,
      duration: DURATION_S,
      requests: [{ method: 'POST', headers, setupRequest: (request) => ({ ...request, body: loginBody() }) }],
    }),
    load(meLoad),
  ]);
  return { alone, login, me };
}

const authPort = await freePort();
const baselinePort = await freePort();
console.log(`bench:auth — bcrypt cost ${cost}, ${DURATION_S} s per phase`);
const auth = startProcess('services/auth/src/main.ts', {
  AUTH_PORT: String(authPort),
  BCRYPT_COST: cost,
  BOT_SERVICE_TOKEN: makeServiceToken(),
});
const baseline = startProcess('bench/baseline-auth-server.ts', {
  PORT: String(baselinePort),
  BCRYPT_COST: cost,
});
try {
  const authBase = `http://127.0.0.1:${authPort}`;
  await Promise.all([waitFor(`${authBase}/ready`), waitFor(`http://127.0.0.1:${baselinePort}/ready`)]);
  const post = (path: string, email: string) =>
    fetch(`${authBase}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  for (const email of emails) await post('/auth/register', email);
  const { accessToken } = (await (await post('/auth/login', emails[0]!)).json()) as { accessToken: string };

  const ours = await measure(authBase, accessToken);
  const bare = await measure(`http://127.0.0.1:${baselinePort}`, undefined);

  const row = (name: string, r: { alone: LoadResult; login: LoadResult; me: LoadResult }) => ({
    server: name,
    'login req/s': Math.round(r.login.rps * 10) / 10,
    'me req/s (alone)': Math.round(r.alone.rps),
    'me p99 ms (alone)': r.alone.p99,
    'me req/s (during logins)': Math.round(r.me.rps),
    'me p99 ms (during logins)': r.me.p99,
    'errors/non-2xx': `${r.login.errors + r.me.errors}/${r.login.non2xx + r.me.non2xx}`,
  });
  printTable([row('auth service', ours), row('bare node:http baseline', bare)]);
  console.log(`login throughput ratio (auth / baseline): ${(ours.login.rps / bare.login.rps).toFixed(2)}`);
  console.log(`/auth/me p99 during logins: auth ${ours.me.p99} ms vs baseline ${bare.me.p99} ms`);
} finally {
  await Promise.all([stopProcess(auth), stopProcess(baseline)]);
}

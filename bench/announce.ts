/**
 * bench:announce — an announcement to 1 000 sandbox chats (BENCH_CHATS) at the configured pace
 * (TELEGRAM_MAX_MESSAGES_PER_SECOND, default 30), against a bare baseline in the same run:
 * 1. baseline: this process sends the same 1 000 sendMessage calls to the same sandbox itself, one
 *    every ceil(1000 / pace) ms on a timer (no database, no Redis): what a plain paced loop gets;
 * 2. one notification replica (its own process): POST /admin/announcements, then the time from the
 *    first to the last message at the sandbox, the rate that makes against the pace, and whether any
 *    chat got it twice or not at all;
 * 3. two replicas (two processes on one database and one Redis pace): the same, plus the busiest
 *    second (the shared pace must hold overall) and how the messages split between them.
 * The sandbox runs in this process, so its clock stamps every call. The replicas use a database,
 * queues and Redis keys of their own (`shop_notification_bench`, `bench.notification.*`,
 * `bench:notification:`), so a shop running on this machine neither sees nor disturbs the run.
 */
import { serve } from '@hono/node-server';
import { createEvent, databaseUrl, dropDatabase, type EventEnvelope } from '@shop/shared';
import { openTestExchange } from '@shop/testkit';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type JWK } from 'jose';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Client } from 'pg';
import { startSandbox, type RunningSandbox } from '../services/sandbox/src/index.ts';
import { freePort, printTable, startProcess, stopProcess, waitFor } from './lib.ts';

const CHATS = Number(process.env.BENCH_CHATS ?? 1_000);
const PACE = Number(process.env.TELEGRAM_MAX_MESSAGES_PER_SECOND ?? 30);
const BOT_TOKEN = '700000:bench-announce';
const BENCH = {
  dbName: 'shop_notification_bench',
  keyPrefix: 'bench:notification:',
  exchange: 'bench.notification.events',
  queuePrefix: 'bench.notification',
};
const ISSUER = { issuer: 'shop-auth', audience: 'shop' };

/** The notification service as main.ts runs it, on the bench's database and namespaces, trusting the bench's key. */
async function serveNotification(): Promise<void> {
  const { runService } = await import('@shop/shared');
  const { loadNotificationConfig } = await import('../services/notification/src/config.ts');
  const { buildNotification } = await import('../services/notification/src/wiring.ts');
  const jwk = JSON.parse(process.env.BENCH_ANNOUNCE_JWK ?? '{}') as JWK;
  await runService({
    name: 'notification',
    config: loadNotificationConfig(),
    port: (config) => config.NOTIFICATION_PORT,
    build: (config, logger) =>
      buildNotification(config, logger, { ...BENCH, keys: createLocalJWKSet({ keys: [jwk] }) }),
  });
}

/** A free port below 60000 (@hono/node-server re-parses a URL whose Host carries a larger one). */
async function plainPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 60_000) return port;
  }
}

/** The busiest `windowMs` of `times` (sorted): how many calls fell inside it. */
function busiest(times: number[], windowMs: number): number {
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end += 1) {
    while (times[end]! - times[start]! >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

interface Run {
  name: string;
  spanMs: number;
  /** Messages per second from the first to the last. */
  rate: number;
  twice: number;
  skipped: number;
  busiestSecond: number;
  extra?: string;
}

/** What the sandbox saw of `text`: when each message arrived, and how many each chat got. */
function observe(sandbox: RunningSandbox, chats: number[], text: string, name: string, since: number): Run {
  const times = sandbox.world.calls
    .list({ method: 'sendMessage' })
    .filter((call) => call.seq > since && call.ok && call.params.text === text)
    .map((call) => call.at)
    .sort((a, b) => a - b);
  const counts = chats.map(
    (chatId) =>
      [...(sandbox.world.chats.get(chatId)?.messages.values() ?? [])].filter(
        (stored) => stored.from === 'bot' && stored.message.text === text,
      ).length,
  );
  const spanMs = (times.at(-1) ?? 0) - (times[0] ?? 0);
  return {
    name,
    spanMs,
    rate: spanMs > 0 ? ((times.length - 1) * 1_000) / spanMs : 0,
    twice: counts.filter((count) => count > 1).length,
    skipped: counts.filter((count) => count === 0).length,
    busiestSecond: busiest(times, 1_000),
  };
}

async function baseline(sandbox: RunningSandbox, chats: number[]): Promise<Run> {
  const text = `bench baseline ${crypto.randomUUID()}`;
  const since = sandbox.world.calls.list().at(-1)?.seq ?? 0;
  const intervalMs = Math.ceil(1_000 / PACE);
  const started = performance.now();
  for (const [i, chatId] of chats.entries()) {
    const wait = started + i * intervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await fetch(`${sandbox.url}/bot${BOT_TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: chatId, text }),
    });
  }
  return observe(sandbox, chats, text, 'baseline: a bare paced loop', since);
}

async function runBench(): Promise<void> {
  console.log(
    `bench:announce — ${CHATS} sandbox chats at ${PACE} messages/s; load average ${loadavg()[0]!.toFixed(2)} at start`,
  );
  const sandbox = await startSandbox({ botToken: BOT_TOKEN });
  const users = Array.from({ length: CHATS }, (_, i) =>
    sandbox.world.chats.addUser({ firstName: `Buyer ${i}`, languageCode: 'en' }),
  );
  const chats = users.map((user) => user.id);
  const adminChat = sandbox.world.chats.addUser({ firstName: 'Merchant', languageCode: 'en' }).id;
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'EdDSA' };
  const adminId = crypto.randomUUID();
  const token = await new SignJWT({ role: 'admin' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'bench' })
    .setSubject(adminId)
    .setIssuer(ISSUER.issuer)
    .setAudience(ISSUER.audience)
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);

  // Each replica reaches the sandbox through a counter of its own: how the messages split.
  const sentBy = [0, 0];
  const fronts = await Promise.all(
    sentBy.map(async (_, index) => {
      const port = await plainPort();
      const server = serve({
        port,
        hostname: '127.0.0.1',
        fetch: (request: Request) => {
          if (request.url.endsWith('/sendMessage')) sentBy[index]! += 1;
          return sandbox.app.fetch(request);
        },
      });
      return { url: `http://127.0.0.1:${port}`, server };
    }),
  );
  const self = fileURLToPath(import.meta.url);
  const processes: ReturnType<typeof startProcess>[] = [];
  /** Starts replica `index` (its own process, its own counter in front of the sandbox); its URL. */
  const startReplica = async (index: number) => {
    const port = await plainPort();
    processes.push(
      startProcess(self, {
        BENCH_ANNOUNCE_SERVICE: '1',
        BENCH_ANNOUNCE_JWK: JSON.stringify(jwk),
        NOTIFICATION_PORT: String(port),
        TELEGRAM_API_ROOT: fronts[index]!.url,
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_MAX_MESSAGES_PER_SECOND: String(PACE),
      }),
    );
    const url = `http://127.0.0.1:${port}`;
    await waitFor(`${url}/ready`);
    return url;
  };
  const serverUrl = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = new Client(databaseUrl(serverUrl, BENCH.dbName));
  const exchange = await openTestExchange(BENCH.exchange);

  const announceAndWait = async (base: string, name: string): Promise<Run> => {
    const text = `bench ${name} ${crypto.randomUUID()}`;
    const since = sandbox.world.calls.list().at(-1)?.seq ?? 0;
    const before = [...sentBy];
    const started = performance.now();
    const res = await fetch(`${base}/admin/announcements`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': crypto.randomUUID(),
      },
      body: JSON.stringify({ text }),
    });
    const { id, total } = (await res.json()) as { id: number; total: number };
    if (res.status !== 201 || total !== CHATS) throw new Error(`POST answered ${res.status}, total ${total}`);
    for (;;) {
      const view = (await (
        await fetch(`${base}/admin/announcements/${id}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { status: string };
      if (view.status === 'done') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const run = observe(sandbox, chats, text, name, since);
    const split = sentBy.map((count, i) => count - before[i]!);
    return {
      ...run,
      extra: `POST to done ${((performance.now() - started) / 1_000).toFixed(1)} s; sendMessage per replica ${split.join(' / ')}`,
    };
  };

  try {
    const runs: Run[] = [await baseline(sandbox, chats)];

    // A run of its own, on a database the committed migrations make afresh: nothing of an earlier
    // run (its chats, or a schema of another branch's migrations) is left.
    await dropDatabase(serverUrl, BENCH.dbName);
    const first = await startReplica(0);
    await db.connect();
    const links: EventEnvelope[] = [...chats, adminChat].map((chatId, i) =>
      createEvent('user.telegram_linked', {
        userId: i === chats.length ? adminId : crypto.randomUUID(),
        telegramId: chatId,
        languageCode: 'en',
      }),
    );
    for (let i = 0; i < links.length; i += 500) await exchange.publish(...links.slice(i, i + 500));
    for (;;) {
      const { rows } = await db.query<{ count: string }>('select count(*) from recipients');
      if (Number(rows[0]?.count) === links.length) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    runs.push(await announceAndWait(first, 'one replica'));
    await startReplica(1);
    runs.push(await announceAndWait(first, 'two replicas'));

    printTable(
      runs.map((run) => ({
        run: run.name,
        'first to last': `${(run.spanMs / 1_000).toFixed(1)} s`,
        'messages/s': run.rate.toFixed(1),
        'of the pace': (run.rate / PACE).toFixed(2),
        'busiest second': run.busiestSecond,
        twice: run.twice,
        skipped: run.skipped,
      })),
    );
    for (const run of runs) if (run.extra) console.log(`${run.name}: ${run.extra}`);
    const [bare, one, two] = runs;
    console.log(
      `announcement rate / pace: one replica ${(one!.rate / PACE).toFixed(2)}, two replicas ${(two!.rate / PACE).toFixed(2)} (goal >= 0.90); bare loop ${(bare!.rate / PACE).toFixed(2)}`,
    );
    console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
  } finally {
    for (const child of processes) await stopProcess(child);
    await exchange.close();
    await db.end().catch(() => {});
    for (const front of fronts) front.server.close();
    await sandbox.close();
  }
}

if (process.env.BENCH_ANNOUNCE_SERVICE) await serveNotification();
else await runBench();

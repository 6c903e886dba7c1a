/**
 * bench:orders, end to end: orders placed at a steady rate, each matched to the Telegram
 * `sendMessage` that tells its buyer the payment outcome, as it reaches a local fake Bot API.
 */
import { Agent, createServer, request, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './lib.ts';

/** A Bot API that answers every sendMessage and records when each order number ("#N") arrived. */
export async function startFakeBotApi(): Promise<{
  root: string;
  arrivals: Map<number, number>;
  server: Server;
}> {
  const arrivals = new Map<number, number>();
  let messageId = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      const { text } = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { text?: string };
      const order = /#(\d+)/.exec(text ?? '')?.[1];
      if (order && !arrivals.has(Number(order))) arrivals.set(Number(order), at);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, result: { message_id: ++messageId } }));
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { root: `http://127.0.0.1:${port}`, arrivals, server };
}

export interface EndToEndResult {
  sent: number;
  accepted: number;
  notified: number;
  lost: number;
  p50: number;
  p99: number;
  /** p50/p99 of POST /orders itself, for context. */
  postP50: number;
  postP99: number;
}

/**
 * POSTs over a kept-alive node:http connection: the load generator shares the 2 cores with the
 * shop, and `fetch` cost it about twice the CPU per request.
 */
function post(url: URL, agent: Agent, headers: Record<string, string>, body: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const round = (ms: number) => Math.round(ms * 10) / 10;

/** Places `rate` orders/s for `seconds`, then waits up to `drainS` for every notification. */
export async function measureEndToEnd(options: {
  orderUrl: string;
  token: string;
  productId: number;
  rate: number;
  seconds: number;
  drainS: number;
  arrivals: Map<number, number>;
}): Promise<EndToEndResult> {
  const { orderUrl, token, productId, rate, seconds, arrivals } = options;
  const answered = new Map<number, number>();
  const postLatencies: number[] = [];
  const body = JSON.stringify({ items: [{ productId, quantity: 1 }] });
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    authorization: `Bearer ${token}`,
  };
  const url = new URL('/orders', orderUrl);
  const agent = new Agent({ keepAlive: true });
  const inFlight: Promise<void>[] = [];
  const total = rate * seconds;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    // A fixed schedule, not "after the previous answer": a slow answer must not slow the load.
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const sentAt = performance.now();
    inFlight.push(
      post(url, agent, headers, body)
        .then((res) => {
          const at = performance.now();
          if (res.status !== 201) return;
          const { id } = JSON.parse(res.body) as { id: number };
          answered.set(id, at);
          postLatencies.push(at - sentAt);
        })
        .catch(() => {}),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  const drainDeadline = performance.now() + options.drainS * 1000;
  const allNotified = () => [...answered.keys()].every((id) => arrivals.has(id));
  while (!allNotified() && performance.now() < drainDeadline) await sleep(100);

  const latencies = [...answered]
    .flatMap(([id, at]) => (arrivals.has(id) ? [arrivals.get(id)! - at] : []))
    .sort((a, b) => a - b);
  const posts = postLatencies.sort((a, b) => a - b);
  return {
    sent: total,
    accepted: answered.size,
    notified: latencies.length,
    lost: answered.size - latencies.length,
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    postP50: round(percentile(posts, 50)),
    postP99: round(percentile(posts, 99)),
  };
}

/**
 * bench:precheckout — how long a buyer's Pay waits for the bot's pre-checkout answer, measured by
 * the Telegram sandbox's clock (pre_checkout_query sent -> answerPreCheckoutQuery received), with
 * the bot, auth, catalog, order and payment as processes (see precheckout-shop.ts):
 * 1. baseline: BENCH_SAMPLES pre-checkouts, one after another, nobody else using the bot;
 * 2. busy: the same while 50 other chats (BENCH_BUSY_CHATS) each send a message or press a button
 *    every BENCH_BUSY_INTERVAL_MS (catalog pages, their cart, help, a search).
 * Each pre-checkout pays an invoice of a real order awaiting payment whose card charge then fails
 * (the sandbox's `fail`), so the bot checks the order and the payment every time (the full "yes"
 * path) and the invoice can be paid again. Target: p99 <= 500 ms while busy.
 */
import { loadavg } from 'node:os';
import { printTable } from './lib.ts';
import { firstButton, startBenchShop, type BenchShop } from './precheckout-shop.ts';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const BUSY_CHATS = Number(process.env.BENCH_BUSY_CHATS ?? 50);
const BUSY_INTERVAL_MS = Number(process.env.BENCH_BUSY_INTERVAL_MS ?? 500);
const PAYERS = 20;
const PRICE = 500;
const TARGET_P99_MS = 500;

interface Phase {
  name: string;
  answersMs: number[];
  refused: number;
  timedOut: number;
  seconds: number;
  busyUpdates?: number;
  /** Updates the bot had not taken yet when the phase ended: whether it kept up with the busy chats. */
  queuedAtEnd: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** SAMPLES pre-checkouts, one at a time, the payers taking turns; the sandbox's times for each. */
async function measure(shop: BenchShop, payers: { chatId: number; messageId: number }[], name: string) {
  const ids: string[] = [];
  let refused = 0;
  let timedOut = 0;
  const started = performance.now();
  for (let i = 0; i < SAMPLES; i++) {
    const payer = payers[i % payers.length]!;
    const outcome = await shop.sandbox.payInvoice(payer.chatId, payer.messageId, { fail: 'card_declined' });
    if (outcome.preCheckoutQueryId) ids.push(outcome.preCheckoutQueryId);
    if (outcome.status === 'refused') refused++;
    if (outcome.reason === 'timeout') timedOut++;
  }
  const seconds = (performance.now() - started) / 1_000;
  const queuedAtEnd = (await shop.sandbox.updates()).filter((update) => update.pending).length;
  const wanted = new Set(ids);
  const answersMs = (await shop.sandbox.preCheckoutQueries())
    .filter((query) => wanted.has(query.id) && query.answeredAt !== undefined)
    .map((query) => query.answeredAt! - query.sentAt)
    .sort((a, b) => a - b);
  return { name, answersMs, refused, timedOut, seconds, queuedAtEnd };
}

/** BUSY_CHATS chats, each sending a message or pressing a button every BUSY_INTERVAL_MS until stopped. */
async function busyChats(shop: BenchShop) {
  const chats = await Promise.all(
    Array.from({ length: BUSY_CHATS }, (_, i) => shop.sandbox.createUser(`Busy ${i}`, i % 2 ? 'ru' : 'en')),
  );
  // Each opens the catalog once: its category button is what it presses from then on.
  const screens = await Promise.all(
    chats.map(async (user) => {
      await shop.sandbox.send(user.id, '/catalog');
      return { user, ...(await firstButton(shop.sandbox, user.id)) };
    }),
  );
  const state = { running: true, sent: 0 };
  const loops = screens.map(async ({ user, messageId, data }, index) => {
    const steps = [
      () => shop.sandbox.press(user.id, messageId, data),
      () => shop.sandbox.send(user.id, '/cart'),
      () => shop.sandbox.press(user.id, messageId, data),
      () => shop.sandbox.send(user.id, '/help'),
      () => shop.sandbox.send(user.id, 'tea'),
    ];
    // Spread over the interval, so the load is steady rather than in waves.
    await new Promise((resolve) => setTimeout(resolve, (index * BUSY_INTERVAL_MS) / BUSY_CHATS));
    for (let step = 0; state.running; step++) {
      const next = performance.now() + BUSY_INTERVAL_MS;
      await steps[step % steps.length]!().catch(() => undefined);
      state.sent++;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
  });
  return {
    sent: () => state.sent,
    async stop() {
      state.running = false;
      await Promise.all(loops);
    },
  };
}

async function runBench(): Promise<void> {
  console.log(
    `bench:precheckout — ${SAMPLES} pre-checkouts per phase; busy: ${BUSY_CHATS} chats, an update each every ${BUSY_INTERVAL_MS} ms; load average ${loadavg()[0]!.toFixed(2)} at start`,
  );
  const shop = await startBenchShop();
  console.log(`the shop's logs: ${shop.logFile}`);
  try {
    const product = await shop.product(PRICE);
    const payers = [];
    for (let i = 0; i < PAYERS; i++) {
      const user = await shop.sandbox.createUser(`Payer ${i}`, i % 2 ? 'ru' : 'en');
      payers.push({ chatId: user.id, messageId: await shop.invoicedOrder(user.id, product, PRICE) });
    }
    // A first round unmeasured: every payer signed in at the bot, every path warm.
    for (const payer of payers)
      await shop.sandbox.payInvoice(payer.chatId, payer.messageId, { fail: 'card_declined' });

    const phases: Phase[] = [await measure(shop, payers, 'baseline: nobody else busy')];
    const busy = await busyChats(shop);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const sentBefore = busy.sent();
    const loaded = await measure(shop, payers, `busy: ${BUSY_CHATS} other chats`);
    phases.push({ ...loaded, busyUpdates: busy.sent() - sentBefore });
    await busy.stop();

    printTable(
      phases.map((phase) => ({
        phase: phase.name,
        answered: phase.answersMs.length,
        'p50 ms': percentile(phase.answersMs, 50),
        'p95 ms': percentile(phase.answersMs, 95),
        'p99 ms': percentile(phase.answersMs, 99),
        'max ms': phase.answersMs.at(-1) ?? Number.NaN,
        refused: phase.refused,
        'timed out': phase.timedOut,
        'queued at end': phase.queuedAtEnd,
        'other updates/s':
          phase.busyUpdates === undefined ? '-' : (phase.busyUpdates / phase.seconds).toFixed(0),
      })),
    );
    const [bare, loadedPhase] = phases.map((phase) => percentile(phase.answersMs, 99));
    console.log(
      `pre-checkout p99: ${loadedPhase} ms busy, ${bare} ms baseline, ratio ${(loadedPhase! / bare!).toFixed(2)}; target <= ${TARGET_P99_MS} ms busy: ${loadedPhase! <= TARGET_P99_MS ? 'met' : 'NOT met'}`,
    );
    console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
  } finally {
    await shop.stop();
  }
}

await runBench();

/**
 * bench:precheckout — how long a buyer's Pay waits for the bot's pre-checkout answer, measured by
 * the Telegram sandbox's clock (pre_checkout_query sent -> answerPreCheckoutQuery received), with
 * the bot, auth, catalog, order and payment as processes (see precheckout-shop.ts):
 * - baseline: BENCH_SAMPLES pre-checkouts, one after another, nobody else using the bot;
 * - busy: the same while 50 other chats (BENCH_BUSY_CHATS) each send a message or press a button
 *   every BENCH_BUSY_INTERVAL_MS (catalog pages, their cart, help, a search).
 * The two take turns in BENCH_SLICES slices after an unmeasured warm-up, so whatever else the
 * machine does falls on both alike.
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
const SLICES = Number(process.env.BENCH_SLICES ?? 3);
const WARM_UP = 100;
const PAYERS = 20;
const PRICE = 500;
const TARGET_P99_MS = 500;

interface Slice {
  ids: string[];
  refused: number;
  timedOut: number;
  seconds: number;
  /** Updates the bot had not taken yet when the slice ended: whether it kept up with the busy chats. */
  queuedAtEnd: number;
  busyUpdates: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** `count` pre-checkouts, one at a time, the payers taking turns. */
async function measure(shop: BenchShop, payers: { chatId: number; messageId: number }[], count: number) {
  const slice: Slice = { ids: [], refused: 0, timedOut: 0, seconds: 0, queuedAtEnd: 0, busyUpdates: 0 };
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const payer = payers[i % payers.length]!;
    const outcome = await shop.sandbox.payInvoice(payer.chatId, payer.messageId, { fail: 'card_declined' });
    if (outcome.preCheckoutQueryId) slice.ids.push(outcome.preCheckoutQueryId);
    if (outcome.status === 'refused') slice.refused++;
    if (outcome.reason === 'timeout') slice.timedOut++;
  }
  slice.seconds = (performance.now() - started) / 1_000;
  slice.queuedAtEnd = (await shop.sandbox.updates()).filter((update) => update.pending).length;
  return slice;
}

/** BUSY_CHATS chats that, once started, each send a message or press a button every BUSY_INTERVAL_MS. */
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
  const state = { running: false, sent: 0, loops: [] as Promise<void>[] };
  const loop = async ({ user, messageId, data }: (typeof screens)[number], index: number) => {
    const steps = [
      () => shop.sandbox.press(user.id, messageId, data),
      () => shop.sandbox.send(user.id, '/cart'),
      () => shop.sandbox.press(user.id, messageId, data),
      () => shop.sandbox.send(user.id, '/help'),
      () => shop.sandbox.send(user.id, 'tea'),
    ];
    // Spread over the interval, so the load is steady rather than in waves.
    await new Promise((resolve) => setTimeout(resolve, (index * BUSY_INTERVAL_MS) / BUSY_CHATS));
    for (let step = index; state.running; step++) {
      const next = performance.now() + BUSY_INTERVAL_MS;
      await steps[step % steps.length]!().catch(() => undefined);
      state.sent++;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
  };
  return {
    sent: () => state.sent,
    /** Starts the chats and lets the bot settle into the load. */
    async start() {
      state.running = true;
      state.loops = screens.map(loop);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    },
    async stop() {
      state.running = false;
      await Promise.all(state.loops);
    },
  };
}

async function runBench(): Promise<void> {
  console.log(
    `bench:precheckout — ${SAMPLES} pre-checkouts per phase in ${SLICES} interleaved slices; busy: ${BUSY_CHATS} chats, an update each every ${BUSY_INTERVAL_MS} ms; load average ${loadavg()[0]!.toFixed(2)} at start`,
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
    const busy = await busyChats(shop);
    // Unmeasured rounds first: every payer signed in at the bot, every path warm.
    await measure(shop, payers, WARM_UP);

    // The phases take turns, so what else the machine does falls on both alike.
    const phases = { baseline: [] as Slice[], busy: [] as Slice[] };
    const perSlice = Math.ceil(SAMPLES / SLICES);
    for (let i = 0; i < SLICES; i++) {
      phases.baseline.push(await measure(shop, payers, perSlice));
      await busy.start();
      const sentBefore = busy.sent();
      const slice = await measure(shop, payers, perSlice);
      phases.busy.push({ ...slice, busyUpdates: busy.sent() - sentBefore });
      await busy.stop();
    }

    const answers = new Map(
      (await shop.sandbox.preCheckoutQueries())
        .filter((query) => query.answeredAt !== undefined)
        .map((query) => [query.id, query.answeredAt! - query.sentAt]),
    );
    const rows = Object.entries(phases).map(([name, slices]) => {
      const answersMs = slices
        .flatMap((slice) => slice.ids.map((id) => answers.get(id)))
        .filter((ms) => ms !== undefined)
        .sort((a, b) => a - b);
      const sum = (pick: (slice: Slice) => number) => slices.reduce((total, slice) => total + pick(slice), 0);
      return {
        name,
        answersMs,
        row: {
          phase: name === 'busy' ? `busy: ${BUSY_CHATS} other chats` : 'baseline: nobody else busy',
          answered: answersMs.length,
          'p50 ms': percentile(answersMs, 50),
          'p95 ms': percentile(answersMs, 95),
          'p99 ms': percentile(answersMs, 99),
          'max ms': answersMs.at(-1) ?? Number.NaN,
          refused: sum((slice) => slice.refused),
          'timed out': sum((slice) => slice.timedOut),
          'queued at end': Math.max(...slices.map((slice) => slice.queuedAtEnd)),
          'other updates/s':
            name === 'busy' ? (sum((s) => s.busyUpdates) / sum((s) => s.seconds)).toFixed(0) : '-',
        },
      };
    });
    printTable(rows.map(({ row }) => row));
    const [bare, loaded] = rows.map(({ answersMs }) => percentile(answersMs, 99));
    console.log(
      `pre-checkout p99: ${loaded} ms busy, ${bare} ms baseline, ratio ${(loaded! / bare!).toFixed(2)}; target <= ${TARGET_P99_MS} ms busy: ${loaded! <= TARGET_P99_MS ? 'met' : 'NOT met'}`,
    );
    console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
  } finally {
    await shop.stop();
  }
}

await runBench();

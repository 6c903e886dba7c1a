/**
 * bench:orders — the order path against bare baselines, same machine, same run:
 * 1. POST /orders at 16 connections (auth, catalog and order as processes) vs a bare pg script
 *    committing the same rows (order, item, outbox) per transaction at 16 clients, in a scratch DB;
 *    then GET /cart at 50 connections (10 buyers, 3 lines each), its figures on a line of its own;
 * 2. outbox relay drain of 20 000 pending rows vs a bare amqplib confirm channel (batches of 100);
 * 3. end to end at a steady 50 orders/s: POST /orders answered -> the "paid" sendMessage at a fake
 *    Bot API, through the catalog's reservation, payment, order and notification.
 * Runs against the developer databases (<DATABASE_PREFIX>_<service>, `shop_` by default) and the
 * RabbitMQ of RABBITMQ_URL (a virtual host in its path keeps the run apart) with fresh users and
 * one bench product (soft-deleted at the end); their orders, payments and notifications stay behind.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'amqplib';
import { load, printTable } from './lib.ts';
import { measureCart } from './orders-cart.ts';
import { measureEndToEnd, startFakeBotApi } from './orders-e2e.ts';
import { measureDrain } from './orders-relay.ts';
import { bareOrderInserts, scratchOrderDatabase, vacuumDatabases } from './orders-scratch.ts';
import {
  addServices,
  benchProduct,
  deleteProduct,
  freshAdmin,
  freshUser,
  linkChat,
  startShop,
  stopShop,
} from './orders-shop.ts';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = 16;
const CART_CONNECTIONS = 50;
const RELAY_EVENTS = Number(process.env.BENCH_RELAY_EVENTS ?? 20_000);
const E2E_SECONDS = Number(process.env.BENCH_E2E_SECONDS ?? 30);
const E2E_RATE = Number(process.env.BENCH_E2E_RATE ?? 50);
// notification's default (30/s, Telegram's broadcast limit) is below 50 orders/s: the backlog would
// grow for the whole run and measure the limiter, not the pipeline. The fake Bot API has no limit,
// so the bench lifts it well above the load: a limit near the load (100/s, 10 ms apart) would
// still queue messages that arrive together and add its spacing to the latency.
const TELEGRAM_RATE = process.env.BENCH_TELEGRAM_RATE ?? '1000';
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const DOWNSTREAM_QUEUES = [
  'payment.orders',
  'order.stock',
  'order.payments',
  'notification.orders',
  'notification.statuses',
  'notification.payments',
  'notification.users',
  // The catalog reserves every order of step 1: its backlog would otherwise still be eating CPU
  // while step 3 measures latency.
  'catalog.orders',
];

const run = crypto.randomUUID().slice(0, 8);
const email = (who: string) => `bench-orders-${run}-${who}@example.test`;
const ratio = (a: number, b: number) => (a / b).toFixed(2);

/** Waits until the consumers have emptied their queues (missing queues count as empty). */
async function waitForQueuesEmpty(timeoutMs: number, queues = DOWNSTREAM_QUEUES): Promise<void> {
  const connection = await connect(RABBITMQ_URL);
  try {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (quiet < 3 && Date.now() < deadline) {
      let depth = 0;
      for (const queue of queues) {
        const channel = await connection.createChannel();
        channel.on('error', () => {});
        depth += await channel.checkQueue(queue).then(
          (q) => q.messageCount,
          () => 0,
        );
        await channel.close().catch(() => {});
      }
      quiet = depth === 0 ? quiet + 1 : 0;
      await sleep(500);
    }
  } finally {
    await connection.close();
  }
}

console.log(`bench:orders (run ${run})`);
const prefix = process.env.DATABASE_PREFIX ?? 'shop';
await vacuumDatabases(
  ['auth', 'catalog', 'order', 'payment', 'notification'].map((service) => `${prefix}_${service}`),
);
const bot = await startFakeBotApi();
// A new merchant Telegram id each run: an earlier run's admin account keeps its link.
const adminTelegramId = 7_000_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
const shop = await startShop(['auth', 'catalog', 'order'], {
  auth: { ADMIN_TELEGRAM_IDS: String(adminTelegramId) },
});
let productId: number | undefined;
let adminToken = '';
try {
  adminToken = (await freshAdmin(shop.url.auth!, email('admin'), adminTelegramId)).token;
  productId = await benchProduct(shop.url.catalog!, adminToken, run);
  const buyer = await freshUser(shop.url.auth!, email('buyer'));
  // A backlog left by an earlier run must not share the CPU with this one's measurements.
  await waitForQueuesEmpty(180_000, ['catalog.orders', 'order.stock']);

  console.log(`1. POST /orders, ${CONNECTIONS} connections, ${DURATION_S} s (after a 2 s warm-up)`);
  const orderLoad = {
    url: `${shop.url.order}/orders`,
    method: 'POST' as const,
    connections: CONNECTIONS,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${buyer.token}` },
    body: JSON.stringify({ items: [{ productId, quantity: 1 }] }),
  };
  await load({ ...orderLoad, duration: 2 });
  const orders = await load({ ...orderLoad, duration: DURATION_S });
  console.log(`   bare pg baseline, ${CONNECTIONS} clients, ${DURATION_S} s, scratch database`);
  const scratch = await scratchOrderDatabase();
  let bareOrders: number;
  try {
    bareOrders = await bareOrderInserts(scratch.url, CONNECTIONS, DURATION_S);
  } finally {
    await scratch.drop();
  }

  console.log(`   GET /cart, ${CART_CONNECTIONS} connections, ${DURATION_S} s (after a 2 s warm-up)`);
  const cart = await measureCart({
    orderUrl: shop.url.order!,
    catalogUrl: shop.url.catalog!,
    authUrl: shop.url.auth!,
    adminToken,
    run,
    email,
    connections: CART_CONNECTIONS,
    durationS: DURATION_S,
  });
  console.log(
    `   GET /cart (${CART_CONNECTIONS} conn): ${Math.round(cart.rps)} req/s, p50 ${cart.p50} ms, p99 ${cart.p99} ms, errors/non-2xx ${cart.errors}/${cart.non2xx}`,
  );

  console.log(`2. relay drain of ${RELAY_EVENTS} pending rows (and the bare amqplib baseline)`);
  const drain = await measureDrain(RELAY_EVENTS);

  console.log(
    `3. end to end: ${E2E_RATE} orders/s for ${E2E_SECONDS} s (payment, notification started; Telegram limit ${TELEGRAM_RATE}/s)`,
  );
  await addServices(shop, ['payment', 'notification'], {
    notification: {
      TELEGRAM_API_ROOT: bot.root,
      TELEGRAM_BOT_TOKEN: '123456:bench-token',
      TELEGRAM_MAX_MESSAGES_PER_SECOND: TELEGRAM_RATE,
    },
  });
  await waitForQueuesEmpty(180_000);
  const linked = await freshUser(shop.url.auth!, email('telegram'));
  await linkChat(shop.url.auth!, linked.token, 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000));
  // One probe order first: the chat link has reached notification once its message arrives.
  const probe = await measureEndToEnd({
    orderUrl: shop.url.order!,
    token: linked.token,
    productId,
    rate: 1,
    seconds: 1,
    drainS: 30,
    arrivals: bot.arrivals,
  });
  if (probe.lost > 0)
    throw new Error('the probe order was never notified: is the chat link reaching notification?');
  console.log(`   placing ${E2E_RATE * E2E_SECONDS} orders`);
  const e2e = await measureEndToEnd({
    orderUrl: shop.url.order!,
    token: linked.token,
    productId,
    rate: E2E_RATE,
    seconds: E2E_SECONDS,
    drainS: 30,
    arrivals: bot.arrivals,
  });

  printTable([
    {
      figure: 'POST /orders req/s (16 conn)',
      ours: Math.round(orders.rps),
      baseline: Math.round(bareOrders),
      ratio: ratio(orders.rps, bareOrders),
      goal: '>= 0.5',
      notes: `p50 ${orders.p50} ms, p99 ${orders.p99} ms, errors/non-2xx ${orders.errors}/${orders.non2xx}`,
    },
    {
      figure: `relay drain rows/s (${drain.events})`,
      ours: Math.round(drain.relayRowsPerS),
      baseline: Math.round(drain.bareMsgsPerS),
      ratio: ratio(drain.relayRowsPerS, drain.bareMsgsPerS),
      goal: '>= 0.7',
      notes: 'baseline: amqplib confirm channel, batches of 100',
    },
    {
      figure: `e2e p50 ms (${E2E_RATE}/s x ${E2E_SECONDS} s)`,
      ours: e2e.p50,
      baseline: '-',
      ratio: '-',
      goal: '<= 50',
      notes: `POST /orders p50 ${e2e.postP50} ms`,
    },
    {
      figure: 'e2e p99 ms',
      ours: e2e.p99,
      baseline: '-',
      ratio: '-',
      goal: '<= 250',
      notes: `POST /orders p99 ${e2e.postP99} ms`,
    },
    {
      figure: 'e2e lost',
      ours: e2e.lost,
      baseline: '-',
      ratio: '-',
      goal: '0',
      notes: `sent ${e2e.sent}, accepted ${e2e.accepted}, notified ${e2e.notified}`,
    },
  ]);
} finally {
  if (productId !== undefined) await deleteProduct(shop.url.catalog!, adminToken, productId).catch(() => {});
  await stopShop(shop);
  bot.server.close();
  bot.server.closeAllConnections();
}

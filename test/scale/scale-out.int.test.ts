/**
 * Scale-out proof: two instances each of order (with its outbox relay), payment and notification
 * as real processes on one set of databases and one RabbitMQ virtual host take 1 000 orders
 * through the public API, and every order ends paid or declined with exactly one payment and
 * exactly one Telegram message, nothing left in any queue. Then the bot: a conversation moves
 * from one instance to another, and webhook mode works behind a balancer with no stickiness.
 */
import { uniqueEmail } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buyNow,
  chooseQuantity,
  confirmCheckout,
  DELIVERY,
  openCheckout,
  openProduct,
  registerInChat,
} from '../support/chat-steps.ts';
import { SandboxChat } from '../support/sandbox.ts';
import { freePort, startShop, type Shop } from '../support/shop.ts';
import { createBuyers, createProducts } from '../support/shop-api.ts';
import { placeOrders, type PlannedOrder } from './place-orders.ts';
import { drained, type Outcome } from './pipeline.ts';
import { listQueues } from './queues.ts';
import { startRoundRobinProxy } from './round-robin-proxy.ts';

const ORDERS = 1_000;
const BUYERS = 50;
const IN_FLIGHT = 16;
// Every tenth order buys the dear product, which the simulated provider declines.
const DECLINE_ABOVE_CENTS = 10_000;
const DECLINED_EVERY = 10;

// The merchant's Telegram id: far above the ids the sandbox gives its users.
const adminTelegramId = 7_000_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
let shop: Shop;
beforeAll(async () => {
  shop = await startShop({
    suite: 'scale',
    env: {
      ADMIN_TELEGRAM_IDS: String(adminTelegramId),
      PAYMENT_DECLINE_ABOVE_CENTS: String(DECLINE_ABOVE_CENTS),
    },
  });
  await Promise.all(
    (['order', 'payment', 'notification'] as const).map((name) => shop.start(name, { index: 2 })),
  );
}, 180_000);
afterAll(async () => {
  await shop.close();
});

const seconds = (ms: number) => (ms / 1_000).toFixed(1);
// pino's level 50 and up: what a failing placement needs to be explained.
const errorLines = (of: Shop) =>
  of
    .instances()
    .flatMap((instance) =>
      instance.lines
        .filter((line) => /"level":(5|6)\d/.test(line))
        .map((line) => `${instance.name}#${instance.index} ${line}`),
    );

describe('the shop scaled out to two instances of order, payment and notification', () => {
  it('takes 1 000 orders: each paid or declined once, told once, no dead letters', async () => {
    const { cheap, dear } = await createProducts(shop, adminTelegramId, 'electronics', {
      cheap: { name: 'Scale-out socks', priceCents: 500 },
      dear: { name: 'Scale-out sofa', priceCents: DECLINE_ABOVE_CENTS * 2 },
    });
    const buyers = await createBuyers(shop, BUYERS, 'scale-buyer');
    const plan: PlannedOrder[] = Array.from({ length: ORDERS }, (_, n) => ({
      buyer: buyers[n % BUYERS]!,
      productId: n % DECLINED_EVERY === 0 ? dear : cheap,
    }));
    const orderUrls = shop
      .instances()
      .filter((instance) => instance.name === 'order')
      .map((instance) => `http://127.0.0.1:${instance.port}`);
    expect(orderUrls).toHaveLength(2);

    const started = performance.now();
    const ids = await placeOrders(orderUrls, plan, IN_FLIGHT).catch((error: unknown) => {
      throw new Error(`${String(error)}\nerrors logged:\n${errorLines(shop).join('\n')}`);
    });
    const placedMs = performance.now() - started;
    const expected = new Map<number, Outcome>(
      ids.map((id, n) => [id, n % DECLINED_EVERY === 0 ? 'failed' : 'paid']),
    );
    const chats = new Set(buyers.map((buyer) => buyer.chatId));
    const state = await drained(shop, expected, chats, 150_000);
    const drainedMs = performance.now() - started;
    console.log(
      `scale-out: ${ORDERS} orders placed in ${seconds(placedMs)} s (${Math.round(ORDERS / (placedMs / 1_000))}/s, ` +
        `${IN_FLIGHT} in flight over 2 order instances), all final, paid for and told after ` +
        `${seconds(drainedMs)} s: ${state.paid} paid, ${state.failed} declined, ${state.payments} payments, ` +
        `${state.messages} messages`,
    );

    expect(new Set(ids).size).toBe(ORDERS);
    expect({ paid: state.paid, failed: state.failed, pending: state.pending }).toEqual({
      paid: ORDERS - ORDERS / DECLINED_EVERY,
      failed: ORDERS / DECLINED_EVERY,
      pending: 0,
    });
    expect(state.payments).toBe(ORDERS);
    expect(state.paymentsTwice).toEqual([]);
    expect(state.paymentsWrong).toEqual([]);
    expect(state.messages).toBe(ORDERS);
    expect(state.toldTwice).toEqual([]);
    expect(state.toldWrong).toEqual([]);
    expect(state.unsentNotifications).toEqual([]);
    expect(state.unpublishedEvents).toEqual({ order: 0, payment: 0 });

    const queues = await listQueues(shop.vhost);
    expect(queues.filter((queue) => queue.messages > 0)).toEqual([]);
    expect(queues.filter((queue) => queue.name.endsWith('.dlq')).length).toBeGreaterThan(0);
    // Both instances of payment and of notification were consuming (competing consumers).
    const consumers = (name: string) => queues.find((queue) => queue.name === name)?.consumers;
    expect([consumers('payment.orders'), consumers('notification.statuses')]).toEqual([2, 2]);
  }, 300_000);
});

describe('the bot scaled out, its state in Redis', () => {
  it('continues a checkout on a second instance after the first is stopped', async () => {
    const vera = await SandboxChat.create(shop.sandbox, 'Vera');
    await registerInChat(vera, uniqueEmail('vera'));
    await openProduct(vera, /^Electronics/, /^USB-C Charger 65 W · /);
    await chooseQuantity(vera, 3);
    expect(await buyNow(vera)).toBe('delivery');
    await vera.send(DELIVERY.name);
    await vera.waitFor(/A phone number for the courier/);

    await shop.stop('bot', 1);
    await shop.start('bot', { index: 2 });
    try {
      await vera.send(DELIVERY.phone);
      await vera.waitFor(/And the delivery address/);
      await vera.send(DELIVERY.address);
      expect(await confirmCheckout(vera, '$119.97')).toBeGreaterThan(0);
    } finally {
      await shop.stop('bot', 2);
    }
  }, 90_000);

  it('serves a whole conversation from two webhook instances behind a balancer without sticky sessions', async () => {
    const ports = [await freePort(), await freePort()];
    const proxy = await startRoundRobinProxy(ports);
    const env = {
      BOT_WEBHOOK_URL: `${proxy.url}/telegram/webhook`,
      BOT_WEBHOOK_SECRET: 'scale-out-webhook-secret-0123456789',
    };
    try {
      await Promise.all(ports.map((port, n) => shop.start('bot', { index: 3 + n, port, env })));
      const wanda = await SandboxChat.create(shop.sandbox, 'Wanda');
      await registerInChat(wanda, uniqueEmail('wanda'));
      await openCheckout(wanda, /^Books/, /^War and Peace · /, 2);
      expect(await confirmCheckout(wanda, '$49.98')).toBeGreaterThan(0);

      // 13 updates (4 to register, 9 to check out with delivery details), every one on the
      // other instance than the one before, each answered 200 the first time.
      expect(proxy.order.length).toBeGreaterThanOrEqual(11);
      expect(Math.min(...proxy.served.values())).toBeGreaterThanOrEqual(5);
      expect(proxy.statuses.filter((status) => status !== 200)).toEqual([]);
    } finally {
      await Promise.all([shop.stop('bot', 3), shop.stop('bot', 4)]);
      await proxy.close();
    }
  }, 90_000);
});

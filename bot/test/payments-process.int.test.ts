/**
 * Invoices paid through the Telegram sandbox, with the bot, auth, catalog, order and payment as
 * real processes: pre-checkout answered (and refused) as Telegram's buyer sees it, and money taken
 * never lost, in long polling and in webhook mode, through kill -9 and a payment service outage.
 */
import { eventually } from '@shop/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SandboxChat } from '../../test/support/sandbox.ts';
import { freePort, startShop, type Shop } from '../../test/support/shop.ts';
import { PROVIDER_TOKEN, shopPayments } from './support/shop-payments.ts';

const ADMIN_ID = 4_240_000_000 + Math.floor(Math.random() * 1_000_000);
const PRICE = 850;
const WEBHOOK_SECRET = 'bot-payments-webhook-secret-0123';

let shop: Shop;
let api: ReturnType<typeof shopPayments>;
let product: number;
beforeAll(async () => {
  shop = await startShop({
    suite: 'botpay',
    parts: ['sandbox', 'auth', 'catalog', 'order', 'payment', 'bot'],
    env: { ADMIN_TELEGRAM_IDS: String(ADMIN_ID) },
    partEnv: {
      payment: { TELEGRAM_PAYMENT_PROVIDER_TOKEN: PROVIDER_TOKEN },
      // Restarting the bot takes seconds on a busy machine: the buyer's Pay waits for it here, and
      // the tests measure the answer from the bot's own first poll.
      sandbox: { SANDBOX_PRE_CHECKOUT_TIMEOUT_MS: '30000' },
    },
  });
  api = shopPayments(shop);
  product = await api.product(ADMIN_ID, PRICE);
}, 180_000);
afterAll(async () => {
  await shop.close();
});

const paid = [{ status: 'succeeded', amountCents: PRICE }];

/** A buyer with an order awaiting payment and its invoice in their chat. */
async function invoiced(name = 'Anna', language = 'en') {
  const chat = await SandboxChat.create(shop.sandbox, name, language);
  const order = await api.order(chat.user.id, product, PRICE);
  const messageId = await api.invoice(chat.user.id, order);
  return { chat, order, messageId };
}

/** Telegram reports a payment whose pre-checkout passed earlier: successful_payment, no pre-checkout. */
const latePayment = (
  chat: SandboxChat,
  order: { invoicePayload: string; currency: string; totalAmount: number },
) => shop.sandbox.reportPayment(chat.user.id, order);

/** Brings back what a test stopped and (failing) left stopped: the next test starts from a whole shop. */
async function restore(bot: { port?: number; env?: Record<string, string> } = {}) {
  const running = (name: string) => shop.instances().some((each) => each.name === name && each.index === 1);
  if (!running('payment')) await shop.start('payment');
  if (!running('bot')) await shop.start('bot', bot);
}

const pendingUpdate = async (updateId: number) =>
  (await shop.sandbox.updates()).find((record) => record.update.update_id === updateId)?.pending;

describe('paying an invoice, long polling', { timeout: 120_000 }, () => {
  afterEach(() => restore(), 120_000);
  it('is said yes to, recorded once, and the same payment delivered again changes nothing', async () => {
    const { chat, order, messageId } = await invoiced();

    const outcome = await shop.sandbox.payInvoice(chat.user.id, messageId);

    expect(outcome.status).toBe('paid');
    await eventually(async () => expect(await api.payments(chat.user.id, order.id)).toEqual(paid));
    await shop.sandbox.redeliver(outcome.updateId!);
    await eventually(async () => expect(await pendingUpdate(outcome.updateId!)).toBe(false));
    expect(await api.payments(chat.user.id, order.id)).toEqual(paid);
  });

  const refusals: [
    string,
    () => Promise<{ chat: SandboxChat; messageId: number; orderId: number; owner: number }>,
    string,
  ][] = [
    [
      "someone else's order",
      async () => {
        const { chat: anna, order } = await invoiced();
        const boris = await SandboxChat.create(shop.sandbox, 'Boris');
        return {
          chat: boris,
          messageId: await api.invoice(boris.user.id, order),
          orderId: order.id,
          owner: anna.user.id,
        };
      },
      'This invoice does not belong to an order of yours. Nothing was charged.',
    ],
    [
      'a forged payload',
      async () => {
        const { chat, order } = await invoiced();
        const messageId = await api.invoice(chat.user.id, order, { invoicePayload: 'order:999999999999' });
        return { chat, messageId, orderId: order.id, owner: chat.user.id };
      },
      'This invoice does not belong to an order of yours. Nothing was charged.',
    ],
    [
      'a changed amount',
      async () => {
        const { chat, order } = await invoiced();
        const messageId = await api.invoice(chat.user.id, order, { totalAmount: order.totalAmount - 100 });
        return { chat, messageId, orderId: order.id, owner: chat.user.id };
      },
      "This invoice no longer matches the order's total. Nothing was charged: please order again.",
    ],
    [
      'a cancelled order',
      async () => {
        const { chat, order, messageId } = await invoiced();
        await api.cancel(chat.user.id, order.id);
        return { chat, messageId, orderId: order.id, owner: chat.user.id };
      },
      'This order is cancelled, so it can no longer be paid. Nothing was charged.',
    ],
    [
      'an expired reservation',
      async () => {
        const { chat, order, messageId } = await invoiced();
        await api.lapse(order.id);
        return { chat, messageId, orderId: order.id, owner: chat.user.id };
      },
      'The time to pay this order has run out and its items are released. Nothing was charged: please order again.',
    ],
    [
      'an order already paid',
      async () => {
        const { chat, order, messageId } = await invoiced();
        expect((await shop.sandbox.payInvoice(chat.user.id, messageId)).status).toBe('paid');
        await eventually(async () => expect(await api.payments(chat.user.id, order.id)).toEqual(paid));
        // A second invoice for the same order, as a buyer would find an older one in the chat.
        return {
          chat,
          messageId: await api.invoice(chat.user.id, order),
          orderId: order.id,
          owner: chat.user.id,
        };
      },
      'This order is already paid. Nothing more was charged.',
    ],
  ];

  it.each(refusals)(
    'is refused for %s, in words the buyer reads, with nothing charged or recorded',
    async (_, arrange, words) => {
      const { chat, messageId, orderId, owner } = await arrange();
      const before = await api.payments(owner, orderId);
      const charges = (await shop.sandbox.charges(chat.user.id)).length;

      const outcome = await shop.sandbox.payInvoice(chat.user.id, messageId);

      expect(outcome).toMatchObject({ status: 'refused', errorMessage: words });
      expect((await shop.sandbox.charges(chat.user.id)).length).toBe(charges);
      expect(await api.payments(owner, orderId)).toEqual(before);
    },
  );

  it('is answered in Russian to a Russian buyer', async () => {
    const { chat, order } = await invoiced('Olga', 'ru');
    const messageId = await api.invoice(chat.user.id, order, { totalAmount: 1 });

    const outcome = await shop.sandbox.payInvoice(chat.user.id, messageId);

    expect(outcome.errorMessage).toBe(
      'Счёт больше не совпадает с суммой заказа. Деньги не списаны: оформите заказ заново.',
    );
  });

  it('pre-checkout is answered at once while 200 other updates are queued before it', async () => {
    const { chat, messageId } = await invoiced();
    const busy = await Promise.all(
      Array.from({ length: 50 }, (_, i) => SandboxChat.create(shop.sandbox, `Busy ${i}`)),
    );
    await shop.stop('bot');
    for (const other of busy)
      for (const text of ['/catalog', '/cart', '/help', 'green tea']) await other.send(text);
    const paying = shop.sandbox.payInvoice(chat.user.id, messageId);
    await eventually(async () => expect(await shop.sandbox.preCheckoutQueries(chat.user.id)).toHaveLength(1));
    const since = (await shop.sandbox.calls()).at(-1)?.seq ?? 0;

    await shop.start('bot');
    const outcome = await paying;

    expect(outcome.status).toBe('paid');
    const [query] = await shop.sandbox.preCheckoutQueries(chat.user.id);
    const firstPoll = (await shop.sandbox.calls({ method: 'getUpdates' })).find((call) => call.seq > since)!;
    const answerMs = query!.answeredAt! - firstPoll.at;
    expect(answerMs).toBeLessThan(3_000);
    // It did not wait behind the 200: some of them were answered after it.
    const replies = await eventually(async () => {
      const sent = (await shop.sandbox.calls({ method: 'sendMessage' })).filter((call) => call.seq > since);
      expect(sent.length).toBeGreaterThanOrEqual(200);
      return sent;
    }, 30_000);
    expect(replies.filter((call) => call.at > query!.answeredAt!).length).toBeGreaterThan(0);
  });

  it('a payment is recorded once after the bot is killed (kill -9) while recording it', async () => {
    const { chat, order } = await invoiced();
    await shop.stop('payment');
    const outcome = await latePayment(chat, order);
    await api.logged('payment not recorded yet');

    await shop.kill('bot');
    expect(await pendingUpdate(outcome.updateId!)).toBe(true);
    await shop.start('payment');
    await shop.start('bot');

    await eventually(async () => expect(await api.payments(chat.user.id, order.id)).toEqual(paid), 30_000);
    await eventually(async () => expect(await pendingUpdate(outcome.updateId!)).toBe(false));
  });

  it('payments that arrive while the payment service is down for 20 s are all recorded once afterwards', async () => {
    const buyers = await Promise.all(['Anna', 'Boris', 'Clara'].map((name) => invoiced(name)));
    const other = await SandboxChat.create(shop.sandbox, 'Dora');
    await shop.stop('payment');
    const started = Date.now();
    const outcomes = [];
    for (const { chat, order } of buyers) outcomes.push(await latePayment(chat, order));
    // Everyone else is served meanwhile.
    await other.send('/help');
    await other.waitFor(/\/catalog/);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 20_000 - (Date.now() - started))));

    await shop.start('payment');

    for (const { chat, order } of buyers)
      await eventually(async () => expect(await api.payments(chat.user.id, order.id)).toEqual(paid), 30_000);
    for (const outcome of outcomes)
      await eventually(async () => expect(await pendingUpdate(outcome.updateId!)).toBe(false));
  });
});

describe('paying an invoice, webhook mode', { timeout: 120_000 }, () => {
  let port: number;
  const webhookEnv = () => ({
    BOT_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
    BOT_WEBHOOK_SECRET: WEBHOOK_SECRET,
  });
  beforeAll(async () => {
    port = await freePort();
    await shop.stop('bot');
    await shop.start('bot', { port, env: webhookEnv() });
  }, 120_000);
  afterEach(() => restore({ port, env: webhookEnv() }), 120_000);

  it('is said yes to and recorded once', async () => {
    const { chat, order, messageId } = await invoiced();
    expect((await shop.sandbox.payInvoice(chat.user.id, messageId)).status).toBe('paid');
    await eventually(async () => expect(await api.payments(chat.user.id, order.id)).toEqual(paid));
  });

  it('a payment is recorded once after the bot is killed (kill -9) while recording it', async () => {
    const { chat, order } = await invoiced();
    await shop.stop('payment');
    const outcome = await latePayment(chat, order);
    await api.logged('payment not recorded yet');

    await shop.kill('bot');
    expect(await pendingUpdate(outcome.updateId!)).toBe(true);
    await shop.start('payment');
    await shop.start('bot', { port, env: webhookEnv() });

    await eventually(async () => expect(await api.payments(chat.user.id, order.id)).toEqual(paid), 30_000);
    await eventually(async () => expect(await pendingUpdate(outcome.updateId!)).toBe(false), 30_000);
  });

  it('the same payment delivered twice, and to two replicas at once, is recorded once', async () => {
    const { chat, order, messageId } = await invoiced();
    const second = await shop.start('bot', { index: 2, env: webhookEnv() });
    try {
      const outcome = await shop.sandbox.payInvoice(chat.user.id, messageId);
      const record = (await shop.sandbox.updates()).find((u) => u.update.update_id === outcome.updateId)!;
      const deliver = (replicaPort: number) =>
        fetch(`http://127.0.0.1:${replicaPort}/telegram/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
          body: JSON.stringify(record.update),
        });

      const answers = await Promise.all([deliver(port), deliver(second.port)]);
      await shop.sandbox.redeliver(outcome.updateId!);

      expect(answers.map((res) => res.status)).toEqual([200, 200]);
      await eventually(async () => expect(await pendingUpdate(outcome.updateId!)).toBe(false));
      expect(await api.payments(chat.user.id, order.id)).toEqual(paid);
    } finally {
      await shop.stop('bot', 2);
    }
  });
});

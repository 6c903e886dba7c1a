/**
 * Long polling against the Telegram sandbox (its update queue keeps Telegram's offset rules) and
 * the real services: a `successful_payment` is never confirmed by a getUpdates offset before the
 * payment service recorded it, the bot keeps serving everyone meanwhile, and a bot started after
 * the first one stopped records the payment once without handling anything else twice.
 */
import { eventually } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../services/sandbox/src/index.ts';
import { SandboxChat, SandboxClient, textOf } from '../../test/support/sandbox.ts';
import { successfulPayment, type Invoice } from './support/chat.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { invoicedOrder, paymentsOf, PROVIDER_ENV, startPollingBot } from './support/invoices.ts';

const TOKEN = '710000:payment-safe-polling';
let h: Harness;
let sandbox: RunningSandbox;
let client: SandboxClient;
let product: number;
beforeAll(async () => {
  h = await startHarness('paidpoll', { paymentEnv: PROVIDER_ENV });
  sandbox = await startSandbox({ botToken: TOKEN });
  client = new SandboxClient(sandbox.url);
  product = await h.shop.addProduct({ name: 'Polled tea', priceCents: 380 });
});
afterAll(async () => {
  await sandbox.close();
  await h.close();
});

const startBotProcess = () => startPollingBot(h, TOKEN, sandbox.url);

/** Telegram's service message that `user` paid `invoice`, queued as an update; returns its id. */
function pay(userId: number, invoice: Invoice): number {
  const user = sandbox.world.chats.users().find((each) => each.id === userId)!;
  const queued = sandbox.world.updates.push({
    message: {
      message_id: 1_000_000 + Math.floor(Math.random() * 1_000_000),
      date: Math.floor(Date.now() / 1000),
      chat: { id: user.id, type: 'private', first_name: user.firstName },
      from: { id: user.id, is_bot: false, first_name: user.firstName, language_code: 'en' },
      successful_payment: successfulPayment(invoice, crypto.randomUUID()),
    },
  });
  return queued!.update_id;
}

const offsetsAsked = (since: number) =>
  sandbox.world.calls
    .list({ method: 'getUpdates' })
    .filter((call) => call.seq > since)
    .map((call) => Number(call.params.offset ?? 0));
const helpReplies = async (chat: SandboxChat) =>
  (await chat.messages()).filter((m) => m.from === 'bot' && /\/catalog/.test(textOf(m))).length;

describe('long polling with a payment to record', () => {
  it('never confirms the payment before it is recorded, serves others meanwhile, and a restart records it once', async () => {
    const anna = await SandboxChat.create(client, 'Anna');
    const boris = await SandboxChat.create(client, 'Boris');
    const { id, invoice } = await invoicedOrder(h, anna.user.id, product);
    const since = sandbox.world.calls.list().at(-1)?.seq ?? 0;

    const held = await h.shop.whileDown('payment', async () => {
      const first = await startBotProcess();
      const paymentId = pay(anna.user.id, invoice);
      // Boris is served while Anna's payment waits for the payment service.
      for (let n = 1; n <= 3; n++) {
        await boris.send('/help');
        await eventually(async () => expect(await helpReplies(boris)).toBe(n));
      }
      // The bot asked for updates again and again (Telegram repeating what the offset holds) ...
      expect(offsetsAsked(since).length).toBeGreaterThan(3);
      await first.stop();
      return paymentId;
    });

    // ... but never past the payment: Telegram still has it, for the next bot.
    expect(Math.max(...offsetsAsked(since))).toBeLessThanOrEqual(held);
    expect(sandbox.world.updates.peek()?.update.update_id).toBe(held);
    expect(await paymentsOf(h, anna.user.id, id)).toEqual([]);

    const second = await startBotProcess();
    try {
      await eventually(async () =>
        expect(await paymentsOf(h, anna.user.id, id)).toEqual([{ status: 'succeeded', amountCents: 380 }]),
      );
      await eventually(async () => expect(sandbox.world.updates.size).toBe(0));
      await boris.send('/help');
      await eventually(async () => expect(await helpReplies(boris)).toBe(4));
      // Boris's three messages behind the payment were not answered again after the restart.
      expect(await helpReplies(boris)).toBe(4);
    } finally {
      await second.stop();
    }
  });

  it('records a payment at once when the payment service is up, and polls on as usual', async () => {
    const anna = await SandboxChat.create(client, 'Anna');
    const { id, invoice } = await invoicedOrder(h, anna.user.id, product);
    const bot = await startBotProcess();
    try {
      pay(anna.user.id, invoice);
      await eventually(async () =>
        expect(await paymentsOf(h, anna.user.id, id)).toEqual([{ status: 'succeeded', amountCents: 380 }]),
      );
      await eventually(async () => expect(sandbox.world.updates.size).toBe(0));
      await anna.send('/help');
      await eventually(async () => expect(await helpReplies(anna)).toBe(1));
    } finally {
      await bot.stop();
    }
  });
});

/**
 * Regression (review s9, bot/test/review-stall.int.test.ts on s9-review): a `successful_payment`
 * whose invoice payload is not one of ours (not `order:<id>`) used to be refused for good by the
 * payment service (400); the bot held it forever, and once 100 more updates queued behind it the
 * whole bot stopped answering. Now the payment service records it (no order, `refund_pending`,
 * `not_payable`: it goes back), the offset moves on, and everyone behind it is answered.
 */
import { eventually } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../services/sandbox/src/index.ts';
import { SandboxChat, SandboxClient } from '../../test/support/sandbox.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { asBuyer, PROVIDER_ENV, startPollingBot } from './support/invoices.ts';

const TOKEN = '710002:foreign-payment';
let h: Harness;
let sandbox: RunningSandbox;
let client: SandboxClient;
beforeAll(async () => {
  h = await startHarness('foreignpay', { paymentEnv: PROVIDER_ENV });
  sandbox = await startSandbox({ botToken: TOKEN });
  client = new SandboxClient(sandbox.url);
});
afterAll(async () => {
  await sandbox.close();
  await h.close();
});

const startBotProcess = () => startPollingBot(h, TOKEN, sandbox.url);

/** Queues an update from `userId`, as Telegram would deliver it. */
function queue(userId: number, message: Record<string, unknown>) {
  const user = sandbox.world.chats.users().find((each) => each.id === userId)!;
  sandbox.world.updates.push({
    message: {
      message_id: 5_000 + Math.floor(Math.random() * 1_000_000),
      date: Math.floor(Date.now() / 1000),
      chat: { id: user.id, type: 'private', first_name: user.firstName },
      from: { id: user.id, is_bot: false, first_name: user.firstName, language_code: 'en' },
      ...message,
    },
  });
}

describe('a payment whose invoice payload names no order of ours', () => {
  it('is recorded to be refunded, and the 120 updates behind it are all answered', async () => {
    const anna = await SandboxChat.create(client, 'Anna');
    const boris = await SandboxChat.create(client, 'Boris');
    const charge = crypto.randomUUID();
    const bot = await startBotProcess();
    try {
      queue(anna.user.id, {
        successful_payment: {
          currency: 'EUR',
          total_amount: 500,
          invoice_payload: 'legacy:42',
          telegram_payment_charge_id: `tg-${charge}`,
          provider_payment_charge_id: `provider-${charge}`,
        },
      });
      for (let n = 0; n < 120; n++) queue(boris.user.id, { text: '/help' });

      const replies = () =>
        sandbox.world.calls
          .list({ method: 'sendMessage' })
          .filter((call) => Number(call.params.chat_id) === boris.user.id).length;
      await eventually(() => expect(replies()).toBe(120), 20_000);
      await eventually(() => expect(sandbox.world.updates.size).toBe(0));

      const owed = await asBuyer(h, h.shop.adminTelegramId, (token) =>
        h.deps.payments.admin.owed(token, 100),
      );
      expect(owed.items.filter((item) => item.telegramPaymentChargeId === `tg-${charge}`)).toMatchObject([
        {
          orderId: null,
          status: 'refund_pending',
          amountCents: 500,
          currency: 'EUR',
          method: 'telegram',
          providerPaymentChargeId: `provider-${charge}`,
        },
      ]);
    } finally {
      await bot.stop();
    }
  }, 40_000);
});

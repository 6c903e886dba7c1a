/** The tests' SandboxClient (test/support/sandbox.ts) against a real sandbox: its payment steps. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxChat, SandboxClient } from '../../../test/support/sandbox.ts';
import { startBot } from './fake-bot.ts';
import { startTestSandbox } from './harness.ts';

let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
let client: SandboxClient;
let stopBot: () => Promise<void>;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  client = new SandboxClient(sandbox.url);
  const bot = await startBot(sandbox, (bot) => {
    bot.on('pre_checkout_query', (ctx) =>
      ctx.preCheckoutQuery.invoice_payload === 'order:refuse'
        ? ctx.answerPreCheckoutQuery(false, { error_message: 'Sold out' })
        : ctx.answerPreCheckoutQuery(true),
    );
  });
  stopBot = bot.stop;
});
afterAll(async () => {
  await stopBot();
  await sandbox.close();
});

describe('SandboxClient payments', () => {
  it('pays the newest invoice as the user, and reads the charge and the Stars left', async () => {
    const chat = await SandboxChat.create(client, 'Vera');
    await sandbox.api.sendInvoice(chat.user.id, 'Order #1', 'E-book', 'order:1', 'XTR', [
      { label: 'E-book', amount: 40 },
    ]);

    const outcome = await chat.pay();

    expect(outcome).toMatchObject({ status: 'paid', charge: { totalAmount: 40, invoicePayload: 'order:1' } });
    expect(await client.starsBalance(chat.user.id)).toBe(10_000 - 40);
    expect(await client.charges(chat.user.id)).toEqual([outcome.charge]);
    expect((await chat.messages()).at(-1)?.successfulPayment).toMatchObject({ invoicePayload: 'order:1' });
    const [query] = await client.preCheckoutQueries(chat.user.id);
    expect(query).toMatchObject({ id: outcome.preCheckoutQueryId, state: 'answered', ok: true });
  });

  it("tells a refusal with the bot's words, and sets a balance", async () => {
    const chat = await SandboxChat.create(client, 'Oleg');
    await client.setStarsBalance(chat.user.id, 7);
    expect(await client.starsBalance(chat.user.id)).toBe(7);
    await sandbox.api.sendInvoice(chat.user.id, 'Order #2', 'E-book', 'order:refuse', 'XTR', [
      { label: 'E-book', amount: 5 },
    ]);

    expect(await chat.pay()).toMatchObject({ status: 'refused', errorMessage: 'Sold out' });
    expect(await client.starsBalance(chat.user.id)).toBe(7);
  });

  it('pays an invoice link, reports a late payment, lists updates and redelivers one', async () => {
    const chat = await SandboxChat.create(client, 'Anna');
    const link = await sandbox.api.createInvoiceLink('Gift', 'Gift card', 'gift:1', '', 'XTR', [
      { label: 'Gift', amount: 3 },
    ]);
    expect((await client.payInvoiceLink(chat.user.id, link)).status).toBe('paid');

    const late = await client.reportPayment(chat.user.id, {
      currency: 'XTR',
      totalAmount: 2,
      invoicePayload: 'order:9',
    });
    expect(late.status).toBe('paid');
    const before = (await client.updates()).length;
    await client.redeliver(late.updateId ?? 0);
    const updates = await client.updates();
    expect(updates).toHaveLength(before);
    expect(updates.find((record) => record.update.update_id === late.updateId)).toBeDefined();
  });
});

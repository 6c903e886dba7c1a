import { testLogger } from '@shop/testkit';
import { reorderButton } from '@shop/shared/callback-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/index.ts';
import { BOT_TOKEN, buyer, createRig, eventually, STARS_ORDER, type Rig } from './harness.ts';

// Shaped as @BotFather hands out a test provider's token, which the sandbox checks as Telegram does.
const PROVIDER_TOKEN = '284685063:TEST:notification-sandbox';

let sandbox: RunningSandbox;
let rig: Rig;
beforeAll(async () => {
  sandbox = await startSandbox({ botToken: BOT_TOKEN, logger: testLogger() });
  rig = await createRig(
    'invoice_sandbox',
    { TELEGRAM_PAYMENT_PROVIDER_TOKEN: PROVIDER_TOKEN },
    { botApiRoot: sandbox.url },
  );
  await rig.start();
});
afterAll(async () => {
  await rig.close();
  await sandbox.close();
});

/** What the chat shows from the bot, as its user sees it. */
const botMessages = (chatId: number) =>
  [...(sandbox.world.chats.get(chatId)?.messages.values() ?? [])].filter((stored) => stored.from === 'bot');

/** A sandbox user with a linked chat, buying `purchase`. */
async function sandboxBuyer(languageCode: string, purchase?: typeof STARS_ORDER) {
  const user = sandbox.world.chats.addUser({ firstName: 'Vera', languageCode });
  const account = buyer({ chatId: user.id, languageCode, ...(purchase ? { purchase } : {}) });
  await rig.publish(account.linked, account.order);
  await eventually(() => rig.recipient(account.userId));
  return account;
}

/** Waits until the chat shows the bot's invoice; returns it as Telegram's Message has it. */
const invoiceIn = (chatId: number) =>
  eventually(() => {
    const [shown] = botMessages(chatId).filter((stored) => stored.message.invoice);
    if (!shown?.message.invoice) throw new Error('no invoice in the chat yet');
    return shown.message.invoice;
  });

describe('invoices in the sandbox, which checks them as Telegram does', () => {
  it('shows a Stars invoice, then only the message that it expired, with Order again', async () => {
    const user = await sandboxBuyer('en', STARS_ORDER);

    await rig.publish(user.requested());

    expect(await invoiceIn(user.chatId)).toEqual({
      title: `Order #${user.orderId}`,
      description: 'E-book: Tea Ceremonies × 1\nSticker pack × 1',
      start_parameter: '',
      currency: 'XTR',
      total_amount: 75,
    });

    await rig.publish(user.cancelled('expired'));

    const shown = await eventually(() => {
      const messages = botMessages(user.chatId);
      expect(messages.map((stored) => stored.message.text?.split('\n')[0])).toEqual([
        `⌛ The invoice for order #${user.orderId} expired: it was not paid in time.`,
      ]);
      return messages[0]!;
    });
    expect(shown.message.invoice).toBeUndefined();
    expect(shown.message.reply_markup?.inline_keyboard).toEqual([
      [{ text: '🔁 Order again', callback_data: reorderButton.build({ order: user.orderId }) }],
    ]);
  });

  it('shows an invoice in euros through the provider, its lines adding up to the total', async () => {
    const user = await sandboxBuyer('ru');

    await rig.publish(user.requested());

    expect(await invoiceIn(user.chatId)).toMatchObject({
      title: `Заказ №${user.orderId}`,
      currency: 'EUR',
      total_amount: 3_890,
    });
  });
});

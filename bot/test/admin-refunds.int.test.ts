/**
 * Refunds to make: provider payments the payment service holds `refund_pending` (money taken for
 * an order that could not keep it), listed for the merchant with what the provider's dashboard
 * knows them by, and marked refunded once given back. Admins only.
 */
import { eventually } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminConfirmRefundedButton,
  adminMarkRefundedButton,
  adminRefundListButton,
} from '../src/admin/buttons.ts';
import { adminRefundsButton } from '../src/buttons.ts';
import { answerOf, buttonsOf, createChat, textsOf, type Chat } from './support/chat.ts';
import type { ApiCall } from './support/fake-telegram.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { asBuyer, invoicedOrder, paymentsOf, PROVIDER_ENV } from './support/invoices.ts';

let h: Harness;
let product: number;
beforeAll(async () => {
  h = await startHarness('admin_refunds', { paymentEnv: PROVIDER_ENV });
  product = await h.shop.addProduct({ name: 'Refunded tea', priceCents: 1_250 });
});
afterAll(async () => {
  await h.close();
});

const merchant = () => createChat(h.telegram, () => h.bot, 'en', { userId: h.shop.adminTelegramId });
const buyer = () => createChat(h.telegram, () => h.bot, 'en');
// The alert is notification's message: the bot never sent it, so a press names its id.
const ALERT_MESSAGE_ID = 55;

/** Money a buyer paid for an order they had cancelled meanwhile: owed back, by the merchant. */
async function paidAfterCancel() {
  const anna = buyer();
  const { id, invoice } = await invoicedOrder(h, anna.id, product);
  await asBuyer(h, anna.id, (token) => h.deps.orders.cancel(token, String(id)));
  const charge = crypto.randomUUID();
  await anna.paid(invoice, charge);
  await eventually(async () =>
    expect(await paymentsOf(h, anna.id, id)).toEqual([{ status: 'refund_pending', amountCents: 1_250 }]),
  );
  return { anna, id, charge };
}

/** A statement on the payment service's own database. */
const paymentDb = <T>(sql: string, params: unknown[] = []) =>
  h.shop.payment.orm.em.fork().execute<T[]>(sql, params);

/** Presses the button labelled `label` on the latest message of this chat that shows one. */
async function press(chat: Chat, label: string | RegExp): Promise<ApiCall[]> {
  const matches = (text: string) => (typeof label === 'string' ? text === label : label.test(text));
  for (const call of [...h.telegram.calls].reverse()) {
    if (call.payload.chat_id !== chat.id) continue;
    const found = buttonsOf(call).find((b) => matches(b.text));
    if (found) return chat.tap(found.callback_data);
  }
  throw new Error(`no button ${String(label)}`);
}

describe('refunds to make', () => {
  it('lists a provider payment owed back with its charge ids, and marks it refunded once the merchant confirms', async () => {
    const { anna, id, charge } = await paidAfterCancel();
    const admin = merchant();
    await admin.send('/admin');

    const [list] = textsOf(await press(admin, '💸 Refunds to make'));

    expect(list).toMatch(
      /^💸 Refunds to make: \d+\. Refund each payment in your payment provider's dashboard/,
    );
    expect(list).toContain(
      [
        `Order #${id} — $12.50, paid through the provider`,
        `Provider charge: provider-${charge}`,
        `Telegram charge: tg-${charge}`,
      ].join('\n'),
    );
    expect(admin.lastButtons().map((b) => b.text)).toEqual(
      expect.arrayContaining([`✅ Order #${id} refunded`, '🔄 Refresh', '⬅️ Back']),
    );

    const [question] = textsOf(await press(admin, `✅ Order #${id} refunded`));

    expect(question).toBe(
      `Mark order #${id} refunded? Only if you refunded $12.50 in the provider's dashboard (provider charge provider-${charge}): the buyer is told at once, and this cannot be undone.`,
    );
    expect(admin.lastButtons().map((b) => b.text)).toEqual(['✅ Yes, I refunded it', '⬅️ Back']);
    expect(await paymentsOf(h, anna.id, id)).toEqual([{ status: 'refund_pending', amountCents: 1_250 }]);

    const marked = await press(admin, '✅ Yes, I refunded it');

    expect(answerOf(marked)).toBe('✅ Marked refunded.');
    expect(textsOf(marked).at(-1)).not.toContain(`Order #${id} —`);
    expect(await paymentsOf(h, anna.id, id)).toEqual([{ status: 'refunded', amountCents: 1_250 }]);
  });

  it('marks nothing when the merchant goes Back from the question', async () => {
    const { anna, id } = await paidAfterCancel();
    const admin = merchant();
    await admin.send('/admin');
    await press(admin, '💸 Refunds to make');
    await press(admin, `✅ Order #${id} refunded`);

    const [list] = textsOf(await press(admin, '⬅️ Back'));

    expect(list).toContain(`Order #${id} — $12.50`);
    expect(await paymentsOf(h, anna.id, id)).toEqual([{ status: 'refund_pending', amountCents: 1_250 }]);
  });

  it('lists money taken for no order of ours without an order number, and marks it refunded', async () => {
    const anna = buyer();
    const charge = crypto.randomUUID();
    // Telegram took it for an invoice this shop did not issue: recorded all the same, to go back.
    await asBuyer(h, anna.id, (token) =>
      h.deps.payments.record(token, {
        invoicePayload: 'legacy:42',
        currency: 'USD',
        totalAmount: 500,
        telegramPaymentChargeId: `tg-${charge}`,
        providerPaymentChargeId: `provider-${charge}`,
        telegramUserId: anna.id,
      }),
    );
    const admin = merchant();
    await admin.send('/admin');

    const [list] = textsOf(await press(admin, '💸 Refunds to make'));

    // The newest first: it is the first line.
    expect(list).toContain(
      [
        '1. No order (a payment the shop did not ask for) — $5.00, paid through the provider',
        `Provider charge: provider-${charge}`,
        `Telegram charge: tg-${charge}`,
      ].join('\n'),
    );
    expect(list).not.toContain('Order #null');
    const [question] = textsOf(await press(admin, '✅ Payment 1 refunded'));
    expect(question).toContain('Mark this payment for no order refunded? Only if you refunded $5.00');
    const marked = await press(admin, '✅ Yes, I refunded it');

    expect(answerOf(marked)).toBe('✅ Marked refunded.');
    expect(textsOf(marked).at(-1)).not.toContain(`tg-${charge}`);
  });

  it('marking again (a double tap, another admin) changes nothing', async () => {
    const { anna, id } = await paidAfterCancel();
    const admin = merchant();
    await admin.send('/admin');
    await press(admin, '💸 Refunds to make');
    const [payment] = await asBuyer(h, anna.id, (token) => h.deps.payments.list(token, String(id)));
    await admin.tap(adminMarkRefundedButton.build({ payment: payment!.id }));
    const yes = adminConfirmRefundedButton.build({ payment: payment!.id });

    await admin.tap(yes);
    const again = await admin.tap(yes);

    expect(answerOf(again)).toBe('✅ Marked refunded.');
    expect(await paymentsOf(h, anna.id, id)).toEqual([{ status: 'refunded', amountCents: 1_250 }]);
  });

  it('opens from Refunds under an alert as a new message, the alert left as it was', async () => {
    const { id } = await paidAfterCancel();
    const admin = merchant();

    const calls = await admin.tap(adminRefundsButton.build(), ALERT_MESSAGE_ID);

    const sent = calls.filter((call) => call.method === 'sendMessage');
    expect(sent).toHaveLength(1);
    expect(String(sent[0]?.payload.text)).toContain(`Order #${id} — $12.50`);
    expect(calls.some((call) => call.payload.message_id === ALERT_MESSAGE_ID)).toBe(false);
  });

  it('is nothing to anyone but an admin: the buttons are old buttons and nothing is marked', async () => {
    const { anna, id } = await paidAfterCancel();
    const [payment] = await asBuyer(h, anna.id, (token) => h.deps.payments.list(token, String(id)));
    const someone = buyer();

    for (const data of [
      adminRefundsButton.build(),
      adminRefundListButton.build(),
      adminMarkRefundedButton.build({ payment: payment!.id }),
      adminConfirmRefundedButton.build({ payment: payment!.id }),
    ]) {
      const calls = await someone.tap(data, ALERT_MESSAGE_ID);
      expect(answerOf(calls)).toBe('This button belongs to an older message and no longer works.');
      expect(calls.map((call) => call.method)).toEqual(['answerCallbackQuery']);
    }
    expect(await paymentsOf(h, anna.id, id)).toEqual([{ status: 'refund_pending', amountCents: 1_250 }]);
  });

  it('marks nothing refunded that is not owed back, nor a payment that does not exist', async () => {
    const anna = buyer();
    const { id, invoice } = await invoicedOrder(h, anna.id, product);
    await anna.paid(invoice, crypto.randomUUID());
    const [kept] = await asBuyer(h, anna.id, (token) => h.deps.payments.list(token, String(id)));
    const admin = merchant();
    await admin.send('/admin');
    await press(admin, '💸 Refunds to make');

    const notOwed = await admin.tap(
      adminConfirmRefundedButton.build({ payment: kept!.id }),
      ALERT_MESSAGE_ID,
    );
    const unknown = await admin.tap(
      adminConfirmRefundedButton.build({ payment: crypto.randomUUID() }),
      ALERT_MESSAGE_ID,
    );
    // Mark on such a payment asks nothing: the list as it is now.
    const asked = await admin.tap(adminMarkRefundedButton.build({ payment: kept!.id }), ALERT_MESSAGE_ID);

    expect(answerOf(notOwed)).toBe('That payment is not awaiting a refund (any more): nothing changed.');
    expect(answerOf(unknown)).toBe('That payment was not found.');
    expect(answerOf(asked)).toBe('That payment is not awaiting a refund (any more): nothing changed.');
    expect(textsOf(asked).join('\n')).not.toContain('Only if you refunded');
    expect(await paymentsOf(h, anna.id, id)).toEqual([{ status: 'succeeded', amountCents: 1_250 }]);
  });

  it('lists a provider refund, and counts the refunds to make, however many Stars refunds wait', async () => {
    const { id } = await paidAfterCancel();
    // 120 newer Stars payments owed back, which the payment service refunds itself (this suite's
    // payment service has no bot token: they stay refund_pending).
    await paymentDb(
      `insert into payments (id, order_id, user_id, status, method, amount_cents, currency, created_at,
         telegram_payment_charge_id, refund_reason)
       select gen_random_uuid(), 900000 + n, gen_random_uuid(), 'refund_pending', 'stars', 5, 'XTR',
         now() + interval '1 hour', 'stars-' || gen_random_uuid(), 'order_expired'
       from generate_series(1, 120) as n`,
    );
    const [owedByHand] = await paymentDb<{ count: string }>(
      "select count(*) from payments where status = 'refund_pending' and method = 'telegram'",
    );
    const admin = merchant();
    await admin.send('/admin');

    const [list] = textsOf(await press(admin, '💸 Refunds to make'));

    expect(list).toMatch(new RegExp(`^💸 Refunds to make: ${owedByHand?.count}\\. `));
    expect(list).toContain(`Order #${id} — $12.50, paid through the provider`);
    expect(list).not.toContain('paid in Stars');
  });
});

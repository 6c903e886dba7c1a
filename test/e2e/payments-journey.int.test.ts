/**
 * Paying inside Telegram as buyers and the merchant live it: the five services, the bot and the
 * Telegram sandbox run as real processes, with a payment provider connected (a sandbox provider
 * token, as `npm start` has it) and the sandbox's shop owner as the merchant. Buyers order in the
 * chat, get the shop's invoice and pay it by card through the provider (EUR) or in Telegram Stars
 * (XTR); the merchant cancels paid orders from /admin and marks provider refunds made.
 */
import { invoicePayloadOf } from '@shop/shared';
import { eventually } from '@shop/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSandboxProviderToken, SANDBOX_OWNER } from '../../scripts/lib/start-env.ts';
import { jpegOf } from '../../services/catalog/test/image-files.ts';
import {
  answer,
  buyNow,
  chooseQuantity,
  confirmCheckout,
  escaped,
  openProduct,
  tap,
  told,
  typeDelivery,
} from '../support/chat-steps.ts';
import { labelsOf, SandboxChat, textOf, type ChatMessage } from '../support/sandbox.ts';
import { callApi, telegramToken } from '../support/shop-api.ts';
import { startShop, type Shop } from '../support/shop.ts';

const SLOW = 30_000;
/** The no-break space Russian money is written with, before the currency. */
const NBSP = '\u00a0';
const TEA = { category: 'Tea from Europe', name: 'Sencha Green Tea', cents: 1_250 };
/** A digital good of the demo catalog, priced in Stars. */
const EBOOK = {
  en: { category: /^Digital goods/, name: 'E-book: The Art of Tea' },
  ru: { category: /^Цифровые товары/, name: 'Электронная книга «Искусство чая»' },
  stars: 100,
};
const REASON = 'The file was sent by e-mail by mistake';

let shop: Shop;
let merchant: SandboxChat;
let merchantToken: string;

beforeAll(async () => {
  shop = await startShop({
    suite: 'payments_journey',
    publicCatalog: true,
    env: {
      TELEGRAM_PAYMENT_PROVIDER_TOKEN: makeSandboxProviderToken(),
      ADMIN_TELEGRAM_IDS: String(SANDBOX_OWNER.id),
    },
  });
  merchant = await SandboxChat.create(
    shop.sandbox,
    SANDBOX_OWNER.firstName,
    SANDBOX_OWNER.languageCode,
    SANDBOX_OWNER.id,
  );
  merchantToken = await telegramToken(shop, SANDBOX_OWNER);
  await addTea();
}, 120_000);
afterAll(async () => {
  await shop.close();
});

/** The merchant's category of tea in euros, its one product with a photo. */
async function addTea(): Promise<void> {
  const catalog = shop.url('catalog');
  const category = await callApi(`${catalog}/categories`, {
    method: 'POST',
    token: merchantToken,
    json: { name: { en: TEA.category, ru: 'Чай из Европы' } },
  });
  const product = await callApi(`${catalog}/products`, {
    method: 'POST',
    token: merchantToken,
    json: {
      name: { en: TEA.name, ru: 'Зелёный чай сенча' },
      description: 'Loose leaf, 100 g.',
      priceCents: TEA.cents,
      currency: 'EUR',
      stock: 1_000,
      categoryId: (category.body as { id: number }).id,
    },
  });
  const res = await fetch(`${catalog}/products/${(product.body as { id: number }).id}/image`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${merchantToken}`, 'content-type': 'image/jpeg' },
    body: new Uint8Array(await jpegOf(400, 400)),
  });
  expect(res.ok).toBe(true);
}

/** /catalog -> category -> product -> quantity -> Buy now (delivery, the first time) -> Confirm: the order's number. */
async function order(
  chat: SandboxChat,
  product: { category: RegExp; name: string },
  quantity: number,
  total: string,
): Promise<number> {
  await openProduct(chat, product.category, new RegExp(`^${escaped(product.name)} · `), SLOW);
  await chooseQuantity(chat, quantity, SLOW);
  if ((await buyNow(chat, SLOW)) === 'delivery') await typeDelivery(chat, undefined, SLOW);
  return confirmCheckout(chat, total);
}

const orderEbook = (chat: SandboxChat) =>
  order(chat, chat.user.languageCode === 'ru' ? EBOOK.ru : EBOOK.en, 1, stars(chat, EBOOK.stars));
const orderTea = (chat: SandboxChat) =>
  order(chat, { category: new RegExp(`^${TEA.category}`), name: TEA.name }, 2, '€25.00');
const stars = (chat: SandboxChat, amount: number) =>
  chat.user.languageCode === 'ru' ? `${amount}${NBSP}XTR` : `XTR${NBSP}${amount}`;

/** The invoice of order `id` in the chat, once the bot has sent it. */
async function invoiceOf(chat: SandboxChat, id: number) {
  const invoice = await chat.waitForInvoice(SLOW);
  expect(invoice.invoice.title).toMatch(new RegExp(`(Order #|Заказ №)${id}$`));
  return invoice;
}

/** What the order service says of the buyer's order, with the buyer's token. */
async function orderOf(chat: SandboxChat, id: number) {
  const token = await telegramToken(shop, chat.user);
  return (await callApi(`${shop.url('order')}/orders/${id}`, { token })).body as {
    status: string;
    cancelReason?: string;
    totalCents: number;
    currency: string;
  };
}

/** The buyer's payments of order `id` (GET /payments, with the buyer's token). */
async function paymentsOf(chat: SandboxChat, id: number) {
  const token = await telegramToken(shop, chat.user);
  return (await callApi(`${shop.url('payment')}/payments?orderId=${id}`, { token })).body as {
    status: string;
    method: string;
    amountCents: number;
    currency: string;
  }[];
}

/** The events the payment service published about order `id`, oldest first, by type. */
async function paymentEvents(id: number): Promise<string[]> {
  const rows = await shop.query<{ type: string }>(
    'payment',
    `select type from outbox where (payload->'data'->>'orderId')::bigint = $1 order by occurred_at, id`,
    [id],
  );
  return rows.map((row) => row.type);
}

/** The merchant's /admin -> Orders -> the order's card. */
async function openOrderAsMerchant(id: number): Promise<ChatMessage> {
  await merchant.send('/admin');
  await merchant.newest(/^🛠 Shop management/);
  await tap(merchant, '📦 Orders', /^📦 To ship: /);
  return tap(merchant, new RegExp(`^#${id} · `), new RegExp(`^📦 Order #${id} — ✅ paid\\n`));
}

/** The merchant cancels paid order `id` from its card in /admin, giving `REASON`. */
async function cancelAsMerchant(id: number): Promise<ChatMessage> {
  await openOrderAsMerchant(id);
  await merchant.press('✖️ Cancel order');
  await answer(
    merchant,
    new RegExp(`Cancelling order #${id}: it is paid, so the buyer's payment will be refunded\\.`),
    REASON,
  );
  return merchant.waitFor(new RegExp(`^✅ Order #${id} is cancelled; the buyer is told\\.`), SLOW);
}

/** The reservation of order `id` runs out now (the shortest ORDER_RESERVATION_MINUTES is a minute). */
const lapse = (id: number) =>
  shop.query('order', "update orders set reserved_until = now() - interval '1 second' where id = $1", [id]);

/**
 * Runs `act` while the order service's expiry sweep passes order `id` by: a lock that lets the
 * order be read and its reservation changed, but not claimed (the sweep skips locked rows).
 */
async function sweepHeldOff<T>(id: number, act: () => Promise<T>): Promise<T> {
  const client = await shop.connect('order');
  try {
    await client.query('begin');
    await client.query('select id from orders where id = $1 for key share', [id]);
    return await act();
  } finally {
    await client.query('commit');
    await client.end();
  }
}

describe('paying in Telegram through the sandbox', { timeout: 120_000 }, () => {
  it('a buyer pays an invoice in euros through the provider: the order is paid, the buyer gets the receipt and the merchant the alert', async () => {
    const erik = await SandboxChat.create(shop.sandbox, 'Erik');
    const id = await orderTea(erik);

    const invoice = await invoiceOf(erik, id);
    expect(invoice.invoice).toMatchObject({
      title: `Order #${id}`,
      description: `${TEA.name} × 2`,
      currency: 'EUR',
      totalAmount: 2_500,
      prices: [{ label: `${TEA.name} × 2`, amount: 2_500 }],
      photo: expect.objectContaining({ url: expect.any(String) }),
    });
    // What the buyer does not see: the payload naming the order, and the provider's token.
    const sent = await shop.sandbox.calls({ method: 'sendInvoice', chatId: erik.user.id });
    expect(sent.filter((call) => call.ok).map((call) => call.params)).toEqual([
      expect.objectContaining({
        payload: invoicePayloadOf(id),
        provider_token: expect.stringMatching(/:TEST:/),
      }),
    ]);
    const photo = await fetch(`${shop.sandbox.url}${invoice.invoice.photo!.url}`);
    expect(photo.headers.get('content-type')).toMatch(/^image\//);

    const paid = await erik.pay();

    expect(paid).toMatchObject({
      status: 'paid',
      charge: { currency: 'EUR', totalAmount: 2_500, invoicePayload: invoicePayloadOf(id) },
    });
    expect(paid.charge?.providerPaymentChargeId).not.toBe('');
    const receipt = await erik.waitFor(new RegExp(`^✅ Order #${id} is paid\\.`), SLOW);
    expect(textOf(receipt)).toBe(
      [`✅ Order #${id} is paid.`, '', `• ${TEA.name} × 2 — €25.00`, 'Total: €25.00'].join('\n'),
    );
    expect(await orderOf(erik, id)).toMatchObject({ status: 'paid', totalCents: 2_500, currency: 'EUR' });
    expect(await paymentsOf(erik, id)).toEqual([
      expect.objectContaining({
        status: 'succeeded',
        method: 'telegram',
        amountCents: 2_500,
        currency: 'EUR',
      }),
    ]);
    const alert = await merchant.waitFor(new RegExp(`^🛒 New order #${id}: paid`), SLOW);
    expect(textOf(alert)).toContain(`• ${TEA.name} × 2 — €25.00\nTotal: €25.00`);
    // The invoice shows it is paid, with the charge Telegram made.
    const shown = (await erik.messages()).find((m) => m.messageId === invoice.messageId);
    expect(shown?.invoice?.paidChargeId).toBe(paid.charge?.telegramPaymentChargeId);
  });

  it('a buyer pays a digital good in Telegram Stars: the order is paid and the Stars leave their balance', async () => {
    const vera = await SandboxChat.create(shop.sandbox, 'Vera');
    const before = await shop.sandbox.starsBalance(vera.user.id);
    const id = await orderEbook(vera);
    const invoice = await invoiceOf(vera, id);
    expect(invoice.invoice).toMatchObject({
      description: `${EBOOK.en.name} × 1`,
      currency: 'XTR',
      totalAmount: EBOOK.stars,
    });

    const paid = await vera.pay();

    expect(paid).toMatchObject({ status: 'paid', charge: { currency: 'XTR', totalAmount: EBOOK.stars } });
    await vera.waitFor(new RegExp(`^✅ Order #${id} is paid in Telegram Stars\\.`), SLOW);
    expect(await orderOf(vera, id)).toMatchObject({ status: 'paid' });
    expect(await paymentsOf(vera, id)).toEqual([
      expect.objectContaining({ status: 'succeeded', method: 'stars', amountCents: EBOOK.stars }),
    ]);
    expect(await shop.sandbox.starsBalance(vera.user.id)).toBe(before - EBOOK.stars);
  });

  it('the merchant cancels a paid Stars order in /admin: the Stars go back once, and the buyer is told in Russian', async () => {
    const olga = await SandboxChat.create(shop.sandbox, 'Ольга', 'ru');
    const before = await shop.sandbox.starsBalance(olga.user.id);
    const id = await orderEbook(olga);
    await invoiceOf(olga, id);
    const { charge } = await olga.pay();
    await olga.waitFor(new RegExp(`^✅ Заказ №${id} оплачен звёздами Telegram\\.`), SLOW);

    const cancelled = await cancelAsMerchant(id);

    expect(textOf(cancelled)).toContain(`Reason given: ${REASON}`);
    const refunded = await olga.waitFor(new RegExp(`^💸 Оплата заказа №${id} `), SLOW);
    expect(textOf(refunded).split('\n')[0]).toBe(
      `💸 Оплата заказа №${id} (${stars(olga, EBOOK.stars)}) возвращена на ваш баланс Telegram Stars.`,
    );
    expect(await told(olga, new RegExp(`^✖️ Заказ №${id} отменён магазином\\.`))).toEqual([
      expect.stringContaining(`Причина: ${REASON}`),
    ]);
    expect(await paymentsOf(olga, id)).toEqual([
      expect.objectContaining({ status: 'refunded', method: 'stars' }),
    ]);
    expect(await shop.sandbox.starsBalance(olga.user.id)).toBe(before);
    const [taken] = await shop.sandbox.charges(olga.user.id);
    expect(taken).toMatchObject({
      telegramPaymentChargeId: charge?.telegramPaymentChargeId,
      refundedAt: expect.any(Number),
    });
    const refunds = await shop.sandbox.calls({ method: 'refundStarPayment' });
    expect(
      refunds.filter((call) => call.params.telegram_payment_charge_id === charge?.telegramPaymentChargeId),
    ).toHaveLength(1);
    expect((await paymentEvents(id)).filter((type) => type === 'payment.refunded')).toHaveLength(1);
    expect(await orderOf(olga, id)).toMatchObject({ status: 'cancelled', cancelReason: 'merchant' });
  });

  it('the merchant cancels a paid card order: the refund waits for them, they mark it refunded in /admin once, and the buyer is told', async () => {
    const anna = await SandboxChat.create(shop.sandbox, 'Anna');
    const id = await orderTea(anna);
    await invoiceOf(anna, id);
    const { charge } = await anna.pay();
    await anna.waitFor(new RegExp(`^✅ Order #${id} is paid\\.`), SLOW);
    await merchant.waitFor(new RegExp(`^🛒 New order #${id}: paid`), SLOW);

    await cancelAsMerchant(id);

    // Telegram cannot give a card payment back: the merchant is told what to refund, and where.
    const alert = await merchant.waitFor(new RegExp(`^↩️ Refund to make: order #${id}`), SLOW);
    expect(textOf(alert)).toContain(charge!.providerPaymentChargeId);
    expect(labelsOf(alert)).toContain('💳 Refunds to make');
    await eventually(async () =>
      expect(await paymentsOf(anna, id)).toEqual([
        expect.objectContaining({ status: 'refund_pending', method: 'telegram' }),
      ]),
    );
    await anna.waitFor(
      new RegExp(`^↩️ The shop will refund €25\\.00 for order #${id} to your card\\.`),
      SLOW,
    );

    await merchant.send('/admin');
    await merchant.newest(/^🛠 Shop management/);
    const owed = await tap(merchant, '💸 Refunds to make', /^💸 Refunds to make: /);
    expect(textOf(owed)).toContain(`Provider charge: ${charge!.providerPaymentChargeId}`);
    const mark = `✅ Order #${id} refunded`;
    expect(labelsOf(owed)).toContain(mark);
    // Marking cannot be undone (the buyer is told at once): the bot asks first.
    const question = await tap(
      merchant,
      mark,
      new RegExp(`^Mark order #${id} refunded\\? Only if you refunded €25\\.00`),
    );
    expect(await paymentsOf(anna, id)).toEqual([expect.objectContaining({ status: 'refund_pending' })]);
    const yes = '✅ Yes, I refunded it';
    const data = question.replyMarkup?.inline_keyboard?.flat().find((b) => b.text === yes)?.callback_data;
    expect(data).toBeDefined();

    // Yes tapped twice before the screen changed (a double tap): both presses reach the bot.
    const presses = await Promise.all([
      shop.sandbox.press(merchant.user.id, question.messageId, data!),
      shop.sandbox.press(merchant.user.id, question.messageId, data!),
    ]);
    const answers = await eventually(async () => {
      const records = (await shop.sandbox.callbacks(merchant.user.id)).filter((c) => presses.includes(c.id));
      expect(records.map((c) => c.answered)).toEqual([true, true]);
      return records.map((c) => c.text);
    });
    expect(answers).toEqual(['✅ Marked refunded.', '✅ Marked refunded.']);

    await anna.waitFor(new RegExp(`^💸 The payment of €25\\.00 for order #${id} was refunded\\.`), SLOW);
    expect(await paymentsOf(anna, id)).toEqual([expect.objectContaining({ status: 'refunded' })]);
    expect((await paymentEvents(id)).filter((type) => type === 'payment.refunded')).toHaveLength(1);
    // The list the merchant looks at no longer asks for it.
    const screen = (await merchant.messages()).find((m) => m.messageId === question.messageId);
    expect(labelsOf(screen!)).not.toContain(mark);
    expect(await told(anna, /was refunded/)).toHaveLength(1);
  });

  it('a Stars invoice not paid in time is refused at Pay, replaced by its expiry with Order again, and a payment arriving late goes back', async () => {
    const boris = await SandboxChat.create(shop.sandbox, 'Boris');
    const before = await shop.sandbox.starsBalance(boris.user.id);
    const id = await orderEbook(boris);
    const invoice = await invoiceOf(boris, id);

    // Boris presses Pay just after his time ran out, before the shop has cancelled the order.
    const refused = await sweepHeldOff(id, async () => {
      await lapse(id);
      return shop.sandbox.payInvoice(boris.user.id, invoice.messageId);
    });

    expect(refused).toMatchObject({
      status: 'refused',
      errorMessage:
        'The time to pay this order has run out and its items are released. Nothing was charged: please order again.',
    });
    expect(await shop.sandbox.charges(boris.user.id)).toEqual([]);
    // The order is cancelled, and the invoice gives way to the news that it expired.
    const expired = await boris.waitFor(new RegExp(`^⌛ The invoice for order #${id} expired`), SLOW);
    expect(textOf(expired)).toBe(
      [
        `⌛ The invoice for order #${id} expired: it was not paid in time.`,
        'The items held for it are back on sale.',
        '',
        `• ${EBOOK.en.name} × 1 — XTR${NBSP}100`,
        `Total: XTR${NBSP}100`,
      ].join('\n'),
    );
    expect(labelsOf(expired)).toEqual(['🔁 Order again']);
    expect((await boris.messages()).find((m) => m.messageId === invoice.messageId)).toBeUndefined();
    expect(await orderOf(boris, id)).toMatchObject({ status: 'cancelled', cancelReason: 'expired' });

    expect(await boris.pressForAnswer('🔁 Order again')).toBe(
      `🛒 1 product of order #${id} is back in your cart.`,
    );
    expect(textOf(await boris.newest(/^🛒 Your cart:/))).toBe(
      ['🛒 Your cart:', `1. ${EBOOK.en.name} × 1 — XTR${NBSP}100`, `Total: XTR${NBSP}100`].join('\n'),
    );

    // Telegram reports a payment of the old invoice all the same: the Stars go back.
    const late = await shop.sandbox.reportPayment(boris.user.id, {
      currency: 'XTR',
      totalAmount: EBOOK.stars,
      invoicePayload: invoicePayloadOf(id),
    });
    expect(late.status).toBe('paid');
    const refunded = await boris.waitFor(new RegExp(`^💸 The payment of XTR.100 for order #${id} `), SLOW);
    expect(textOf(refunded).split('\n').slice(0, 2)).toEqual([
      `💸 The payment of XTR${NBSP}100 for order #${id} was refunded to your Telegram Stars balance.`,
      'The payment arrived after the reservation of the order had expired.',
    ]);
    expect(await paymentsOf(boris, id)).toEqual([
      expect.objectContaining({ status: 'refunded', method: 'stars', amountCents: EBOOK.stars }),
    ]);
    expect(await shop.sandbox.starsBalance(boris.user.id)).toBe(before);
    expect(await shop.sandbox.charges(boris.user.id)).toEqual([
      expect.objectContaining({
        telegramPaymentChargeId: late.charge?.telegramPaymentChargeId,
        refundedAt: expect.any(Number),
      }),
    ]);
    expect(await orderOf(boris, id)).toMatchObject({ status: 'cancelled', cancelReason: 'expired' });
  });

  it('a card payment arriving after its invoice expired is flagged to the merchant for a refund, and the buyer told', async () => {
    const clara = await SandboxChat.create(shop.sandbox, 'Clara');
    const id = await orderTea(clara);
    await invoiceOf(clara, id);
    await lapse(id);
    await clara.waitFor(new RegExp(`^⌛ The invoice for order #${id} expired`), SLOW);

    const late = await shop.sandbox.reportPayment(clara.user.id, {
      currency: 'EUR',
      totalAmount: 2_500,
      invoicePayload: invoicePayloadOf(id),
    });

    expect(late.status).toBe('paid');
    const alert = await merchant.waitFor(new RegExp(`^↩️ Refund to make: order #${id}`), SLOW);
    expect(textOf(alert)).toContain('The payment arrived after the reservation had expired.');
    expect(textOf(alert)).toContain(late.charge!.providerPaymentChargeId);
    const told = await clara.waitFor(new RegExp(`^↩️ The shop will refund €25\\.00 for order #${id}`), SLOW);
    expect(textOf(told).split('\n').slice(0, 2)).toEqual([
      `↩️ The shop will refund €25.00 for order #${id} to your card.`,
      'The payment arrived after the reservation of the order had expired.',
    ]);
    expect(await paymentsOf(clara, id)).toEqual([
      expect.objectContaining({ status: 'refund_pending', method: 'telegram', amountCents: 2_500 }),
    ]);
    expect(await orderOf(clara, id)).toMatchObject({ status: 'cancelled', cancelReason: 'expired' });
  });
});

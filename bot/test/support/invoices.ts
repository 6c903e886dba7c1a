/**
 * Orders paid by invoice, as the bot suites need them: the real order and payment services
 * (TELEGRAM_PAYMENT_PROVIDER_TOKEN set, so an order waits for a Telegram payment), the buyer being
 * the account the bot signs a Telegram user in to.
 */
import { invoicePayloadOf } from '@shop/shared';
import { eventually } from '@shop/testkit';
import { expect } from 'vitest';
import type { Invoice } from './chat.ts';
import type { Harness } from './harness.ts';
import { createBot } from '../../src/bot.ts';
import { startPolling } from '../../src/polling.ts';

/** A provider token the payment service takes: orders in any currency but Stars are then paid by invoice. */
export const PROVIDER_ENV = { TELEGRAM_PAYMENT_PROVIDER_TOKEN: '284685063:TEST:bot-suites' };

const DELIVERY = { name: 'Anna Petrova', phone: '+7 999 123-45-67', address: 'Nevsky prospekt 1' };

/** What services the invoices helpers use: the bot's own clients and sign-ins, and the shop. */
type Shop = Pick<Harness, 'deps' | 'shop'>;

/** Runs `fn` with the access token the bot holds for Telegram user `telegramId`. */
export const asBuyer = <T>(h: Shop, telegramId: number, fn: (token: string) => Promise<T>) =>
  h.deps.signIns.withToken(telegramId, fn);

/**
 * An order of `quantity` × `productId` placed for Telegram user `telegramId`, once both the order
 * service (stock reserved: awaiting payment) and the payment service (its invoice issued) take a
 * payment for it; with the invoice Telegram would show.
 */
export async function invoicedOrder(
  h: Shop,
  telegramId: number,
  productId: number,
  quantity = 1,
): Promise<{ id: number; invoice: Invoice }> {
  const product = await h.deps.catalog.product(String(productId), 'en');
  if (!product) throw new Error(`no product ${productId}`);
  const order = await asBuyer(h, telegramId, (token) =>
    h.deps.orders.create(
      token,
      {
        items: [{ productId: String(productId), quantity }],
        expectedTotalCents: product.priceCents * quantity,
        delivery: DELIVERY,
      },
      crypto.randomUUID(),
      'en',
    ),
  );
  const id = Number(order.id);
  const invoice = { payload: invoicePayloadOf(id), currency: order.currency, totalAmount: order.totalCents };
  await eventually(async () => {
    expect((await h.shop.orderStatuses([id])).get(id)).toBe('awaiting_payment');
    const query = {
      invoicePayload: invoice.payload,
      currency: invoice.currency,
      totalAmount: invoice.totalAmount,
    };
    expect(await asBuyer(h, telegramId, (token) => h.deps.payments.preCheckout(token, query))).toEqual({
      ok: true,
    });
  });
  return { id, invoice };
}

/** The buyer's payments of order `id`, as the payment service lists them: status and amount. */
export const paymentsOf = async (h: Shop, telegramId: number, id: number) =>
  (await asBuyer(h, telegramId, (token) => h.deps.payments.list(token, String(id)))).map((payment) => ({
    status: payment.status,
    amountCents: payment.amountCents,
  }));

/** What the bot answered a pre-checkout with: `{ok}` and, for a refusal, the sentence the buyer reads. */
export const answerOfPreCheckout = (calls: { payload: Record<string, unknown> }[]) =>
  calls.map((call) => ({
    ok: call.payload.ok,
    ...(call.payload.error_message === undefined ? {} : { error: call.payload.error_message }),
  }));

/**
 * A bot of its own over the harness's services and Redis, long polling the sandbox at
 * `apiRoot` with payment-safe polling; `stop` as at shutdown (recording retries end too).
 */
export async function startPollingBot(h: Harness, token: string, apiRoot: string) {
  const stopping = new AbortController();
  const bot = createBot(token, h.deps, {
    client: { apiRoot },
    payments: { recording: { signal: stopping.signal, minDelayMs: 50, maxDelayMs: 200 } },
  });
  await bot.init();
  const polling = startPolling(bot, h.deps.logger, { redis: h.redis, keyPrefix: h.keyPrefix });
  return {
    async stop() {
      stopping.abort();
      await polling.stop();
    },
  };
}

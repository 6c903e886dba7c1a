/**
 * The buyer's and the merchant's side of invoices in a shop of processes (test/support/shop.ts):
 * orders placed through the services' APIs as the account the bot signs a Telegram user in to,
 * invoices sent to the sandbox as the bot sends them, payments read back from the payment service.
 */
import { invoicePayloadOf } from '@shop/shared';
import { eventually, fetchJson } from '@shop/testkit';
import { expect } from 'vitest';
import type { Shop } from '../../../test/support/shop.ts';

/** A provider token as @BotFather hands them out, for the payment service and the invoices alike. */
export const PROVIDER_TOKEN = '284685063:TEST:bot-payment-processes';
const DELIVERY = { name: 'Anna Petrova', phone: '+7 999 123-45-67', address: 'Nevsky prospekt 1' };

export function shopPayments(shop: Shop) {
  const tokens = new Map<number, Promise<string>>();
  /** The access token of the account linked to Telegram user `telegramId`, as the bot signs them in. */
  const tokenOf = (telegramId: number) => {
    let token = tokens.get(telegramId);
    if (!token) {
      token = fetchJson<{ accessToken: string }>(`${shop.url('auth')}/auth/telegram`, {
        method: 'POST',
        body: { telegramId },
        headers: { 'X-Service-Token': shop.serviceToken },
      }).then((pair) => pair.accessToken);
      tokens.set(telegramId, token);
    }
    return token;
  };

  return {
    tokenOf,
    /** A product of the merchant's (the Telegram user `adminId`, an admin by ADMIN_TELEGRAM_IDS). */
    async product(adminId: number, priceCents: number): Promise<number> {
      const token = await tokenOf(adminId);
      const { items } = await fetchJson<{ items: { id: number }[] }>(`${shop.url('catalog')}/categories`);
      const categoryId = items[0]?.id;
      if (categoryId === undefined) throw new Error('the catalog has no category');
      const product = await fetchJson<{ id: number }>(`${shop.url('catalog')}/products`, {
        method: 'POST',
        token,
        body: {
          name: `Invoice tea ${crypto.randomUUID().slice(0, 6)}`,
          priceCents,
          currency: 'EUR',
          stock: 100_000,
          categoryId,
        },
      });
      return product.id;
    },
    /** An order of `quantity` × `productId` for `telegramId`, once both services take a payment for it. */
    async order(telegramId: number, productId: number, priceCents: number, quantity = 1) {
      const token = await tokenOf(telegramId);
      const order = await fetchJson<{ id: number; totalCents: number; currency: string }>(
        `${shop.url('order')}/orders`,
        {
          method: 'POST',
          token,
          body: {
            items: [{ productId, quantity }],
            expectedTotalCents: priceCents * quantity,
            delivery: DELIVERY,
          },
        },
      );
      const query = {
        invoicePayload: invoicePayloadOf(order.id),
        currency: order.currency,
        totalAmount: order.totalCents,
      };
      await eventually(async () => {
        const seen = await fetchJson<{ status: string }>(`${shop.url('order')}/orders/${order.id}`, {
          token,
        });
        expect(seen.status).toBe('awaiting_payment');
        expect(
          await fetchJson(`${shop.url('payment')}/payments/telegram/pre-checkout`, {
            method: 'POST',
            token,
            body: query,
          }),
        ).toEqual({ ok: true });
      }, 30_000);
      return { id: order.id, ...query };
    },
    /**
     * The bot's invoice for an order, sent to `chatId` (notification's job in the shop; here the
     * test sends it as the bot): its message id. `change` forges a field of it.
     */
    async invoice(
      chatId: number,
      order: { invoicePayload: string; currency: string; totalAmount: number },
      change: Partial<{ invoicePayload: string; currency: string; totalAmount: number }> = {},
    ): Promise<number> {
      const { invoicePayload, currency, totalAmount } = { ...order, ...change };
      const { result } = await fetchJson<{ result: { message_id: number } }>(
        `${shop.url('sandbox')}/bot${shop.botToken}/sendInvoice`,
        {
          method: 'POST',
          body: {
            chat_id: chatId,
            title: 'Your order',
            description: 'Tea',
            payload: invoicePayload,
            provider_token: PROVIDER_TOKEN,
            currency,
            prices: [{ label: 'Tea', amount: totalAmount }],
          },
        },
      );
      return result.message_id;
    },
    /** The buyer's payments of order `id`: status and amount. */
    async payments(telegramId: number, id: number) {
      const token = await tokenOf(telegramId);
      const list = await fetchJson<{ status: string; amountCents: number }[]>(
        `${shop.url('payment')}/payments?orderId=${id}`,
        { token },
      );
      return list.map(({ status, amountCents }) => ({ status, amountCents }));
    },
    /** Cancels the buyer's order, as they would in the bot. */
    async cancel(telegramId: number, id: number) {
      await fetchJson(`${shop.url('order')}/orders/${id}/cancel`, {
        method: 'POST',
        token: await tokenOf(telegramId),
      });
    },
    /** The reservation of order `id` runs out now, before the order service's sweep notices. */
    lapse: (id: number) =>
      shop.query('order', "update orders set reserved_until = now() - interval '1 second' where id = $1", [
        id,
      ]),
    /** Waits until a bot instance has logged `message` (its JSON log lines), e.g. that it is mid-record. */
    async logged(message: string, instance = 'bot') {
      await eventually(() => {
        const lines = shop
          .instances()
          .filter((each) => each.name === instance)
          .flatMap((each) => each.lines);
        expect(lines.some((line) => line.includes(`"msg":"${message}"`))).toBe(true);
      }, 20_000);
    },
  };
}

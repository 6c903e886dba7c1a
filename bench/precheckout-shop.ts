/**
 * bench:precheckout helpers: the Telegram sandbox, auth, catalog, order, payment (a provider token
 * set: orders wait for an invoice) and the bot as processes, on databases, a RabbitMQ virtual host
 * and Redis keys of the bench's own; and the buyers and invoices a run needs.
 */
import { invoicePayloadOf } from '@shop/shared';
import { fetchJson } from '@shop/testkit';
import { makeBotToken, makeServiceToken } from '../scripts/lib/start-env.ts';
import { relaxedAuthLimits } from '../services/auth/test/relaxed-limits.ts';
import { SandboxClient, textOf } from '../test/support/sandbox.ts';
import { startBenchParts } from './parts.ts';

const DATABASE_PREFIX = 'bench_precheckout';
const PROVIDER_TOKEN = '284685063:TEST:bench-precheckout';
const ADMIN_ID = 4_200_000_001;
const DELIVERY = { name: 'Bench Buyer', phone: '+7 999 123-45-67', address: 'Bench street 1' };

const PARTS = [
  ['sandbox', 'services/sandbox/src/main.ts'],
  ['auth', 'services/auth/src/main.ts'],
  ['catalog', 'services/catalog/src/main.ts'],
  ['order', 'services/order/src/main.ts'],
  ['payment', 'services/payment/src/main.ts'],
  ['bot', 'bot/src/main.ts'],
] as const;
type Part = (typeof PARTS)[number][0];

export interface BenchShop {
  url: Record<Part, string>;
  sandbox: SandboxClient;
  logFile: string;
  /** An invoice for a new order of the sandbox user `chatId`, in their chat: its message id. */
  invoicedOrder(chatId: number, productId: number, priceCents: number): Promise<number>;
  /** A product in EUR no run can sell out, made by the shop's admin. */
  product(priceCents: number): Promise<number>;
  stop(): Promise<void>;
}

export async function startBenchShop(): Promise<BenchShop> {
  const parts = await startBenchParts(DATABASE_PREFIX, PARTS, {
    env: (url) => ({
      ...relaxedAuthLimits,
      BOT_REDIS_PREFIX: `bench:precheckout:${crypto.randomUUID().slice(0, 8)}:`,
      BOT_SERVICE_TOKEN: makeServiceToken(),
      TELEGRAM_BOT_TOKEN: makeBotToken(),
      ADMIN_TELEGRAM_IDS: String(ADMIN_ID),
      TELEGRAM_PAYMENT_PROVIDER_TOKEN: PROVIDER_TOKEN,
      TELEGRAM_API_ROOT: url.sandbox,
    }),
    // The sandbox first: the bot finds its Telegram at once.
    healthyFirst: ['sandbox'],
  });
  const { url, env } = parts;

  const tokens = new Map<number, Promise<string>>();
  const tokenOf = (telegramId: number) => {
    let token = tokens.get(telegramId);
    if (!token) {
      token = fetchJson<{ accessToken: string }>(`${url.auth}/auth/telegram`, {
        method: 'POST',
        body: { telegramId },
        headers: { 'X-Service-Token': env.BOT_SERVICE_TOKEN! },
      }).then((pair) => pair.accessToken);
      tokens.set(telegramId, token);
    }
    return token;
  };
  const sandbox = new SandboxClient(url.sandbox);

  return {
    url,
    sandbox,
    logFile: parts.logFile,
    async product(priceCents) {
      const { items } = await fetchJson<{ items: { id: number }[] }>(`${url.catalog}/categories`);
      const product = await fetchJson<{ id: number }>(`${url.catalog}/products`, {
        method: 'POST',
        token: await tokenOf(ADMIN_ID),
        body: {
          name: 'Bench tea',
          priceCents,
          currency: 'EUR',
          stock: 1_000_000_000,
          categoryId: items[0]?.id,
        },
      });
      return product.id;
    },
    async invoicedOrder(chatId, productId, priceCents) {
      const token = await tokenOf(chatId);
      const order = await fetchJson<{ id: number }>(`${url.order}/orders`, {
        method: 'POST',
        token,
        body: { items: [{ productId, quantity: 1 }], expectedTotalCents: priceCents, delivery: DELIVERY },
      });
      const query = { invoicePayload: invoicePayloadOf(order.id), currency: 'EUR', totalAmount: priceCents };
      for (;;) {
        const answer = await fetchJson<{ ok: boolean }>(`${url.payment}/payments/telegram/pre-checkout`, {
          method: 'POST',
          token,
          body: query,
        });
        const { status } = await fetchJson<{ status: string }>(`${url.order}/orders/${order.id}`, { token });
        if (answer.ok && status === 'awaiting_payment') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const { result } = await fetchJson<{ result: { message_id: number } }>(
        `${url.sandbox}/bot${env.TELEGRAM_BOT_TOKEN}/sendInvoice`,
        {
          method: 'POST',
          body: {
            chat_id: chatId,
            title: `Order #${order.id}`,
            description: 'Bench tea × 1',
            payload: query.invoicePayload,
            provider_token: PROVIDER_TOKEN,
            currency: 'EUR',
            prices: [{ label: 'Bench tea × 1', amount: priceCents }],
          },
        },
      );
      return result.message_id;
    },
    stop: () => parts.stop(),
  };
}

/** The first inline button of the bot's newest message in `chatId` that has one, once there is one. */
export async function firstButton(sandbox: SandboxClient, chatId: number) {
  for (let i = 0; i < 300; i++) {
    const message = (await sandbox.messages(chatId)).findLast(
      (m) => m.from === 'bot' && (m.replyMarkup?.inline_keyboard?.flat().length ?? 0) > 0,
    );
    const data = message?.replyMarkup?.inline_keyboard?.flat()[0]?.callback_data;
    if (message && data) return { messageId: message.messageId, data, text: textOf(message) };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the bot never answered chat ${chatId} with buttons`);
}

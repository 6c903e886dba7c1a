import { randomInt } from 'node:crypto';
import {
  createEvent,
  invoicePayloadOf,
  type CancelReason,
  type EventEnvelope,
  type OrderChannel,
} from '@shop/shared';
import { requestJson } from '@shop/testkit';
import { SERVICE_TOKEN } from '../../auth/test/start.ts';
import { eventually, stockReserved, type Rig } from './harness.ts';

/** A payment service that takes invoices: a provider connected, a bot token to refund Stars, quick refund rounds. */
export const INVOICE_ENV = {
  TELEGRAM_PAYMENT_PROVIDER_TOKEN: '284685063:TEST:payment-tests',
  TELEGRAM_BOT_TOKEN: '123456:payment-tests',
  PAYMENT_REFUND_INTERVAL_MS: '50',
};

/** What the bot sends with the buyer's token: `X-Service-Token`. */
export const botHeaders = (headers: Record<string, string>) => ({
  ...headers,
  'X-Service-Token': SERVICE_TOKEN,
});

type Buyer = Awaited<ReturnType<Rig['user']>>;
type App = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** A reserved order of a fresh buyer, once its invoice was requested (`payment.requested`). */
export async function invoicedOrder(
  rig: Rig,
  {
    currency = 'EUR',
    totalCents = 1_999,
    channel,
  }: { currency?: string; totalCents?: number; channel?: OrderChannel } = {},
) {
  const buyer = await rig.user();
  const reserved = stockReserved({ userId: buyer.id, currency, totalCents, channel });
  await rig.publish(reserved);
  const requested = await eventually(() => {
    const found = rig.eventsFor(reserved.data.orderId).find((event) => event.type === 'payment.requested');
    if (!found) throw new Error('no payment.requested yet');
    return found;
  });
  const orderId = reserved.data.orderId;
  return { buyer, reserved, requested, orderId, payload: invoicePayloadOf(orderId), currency, totalCents };
}

export type InvoicedOrder = Awaited<ReturnType<typeof invoicedOrder>>;

/** What Telegram tells the bot in `successful_payment` for the order, as the bot posts it; a fresh charge. */
export function successfulPayment(order: InvoicedOrder, overrides: Record<string, unknown> = {}) {
  return {
    invoicePayload: order.payload,
    currency: order.currency,
    totalAmount: order.totalCents,
    telegramPaymentChargeId: `tg-${crypto.randomUUID()}`,
    providerPaymentChargeId: order.currency === 'XTR' ? '' : `pr-${crypto.randomUUID()}`,
    telegramUserId: randomInt(1, 2 ** 40),
    ...overrides,
  };
}

/** `POST /payments/telegram` as the bot makes it for `buyer`. */
export const recordPayment = (app: App, buyer: Buyer, body: unknown) =>
  requestJson(app, 'POST', '/payments/telegram', body, botHeaders(buyer.headers));

/** `POST /payments/telegram/pre-checkout` as the bot makes it for `buyer`. */
export const preCheckout = (app: App, buyer: Buyer, body: unknown) =>
  requestJson(app, 'POST', '/payments/telegram/pre-checkout', body, buyer.headers);

/** The order service's `order.cancelled` for the order. */
export const cancellationOf = (
  order: InvoicedOrder,
  reason: CancelReason,
): EventEnvelope<'order.cancelled'> =>
  createEvent('order.cancelled', {
    orderId: order.orderId,
    userId: order.buyer.id,
    reason,
    items: order.reserved.data.items,
  });

/**
 * A Bot API that records every call and answers `{ok:true}`, unless told otherwise for a charge:
 * `answer` queues the answers its next calls get (a promise keeps the call waiting).
 */
export function fakeTelegram() {
  const calls: { method: string; body: Record<string, unknown> }[] = [];
  const answers = new Map<string, (() => Response | Promise<Response>)[]>();
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : input.toString();
    const method = url.split('/').pop() ?? '';
    const body = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as Record<string, unknown>;
    calls.push({ method, body });
    const next = answers.get(String(body.telegram_payment_charge_id))?.shift() ?? telegramOk;
    return next();
  };
  return {
    fetch,
    calls,
    /** The refundStarPayment calls for a charge. */
    refundsOf: (chargeId: string) =>
      calls.filter(
        (call) => call.method === 'refundStarPayment' && call.body.telegram_payment_charge_id === chargeId,
      ),
    answer(chargeId: string, ...next: (() => Response | Promise<Response>)[]) {
      answers.set(chargeId, [...(answers.get(chargeId) ?? []), ...next]);
    },
  };
}

/** The Bot API's success. */
export const telegramOk = () => Response.json({ ok: true, result: true });

/** A success that waits until the returned `release` is called. */
export function heldAnswer() {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  return { answer: () => released.then(telegramOk), release };
}

/** Telegram's refusal, as the Bot API answers it. */
export const telegramError = (status: number, description: string, retryAfter?: number) => () =>
  Response.json(
    {
      ok: false,
      error_code: status,
      description,
      ...(retryAfter === undefined ? {} : { parameters: { retry_after: retryAfter } }),
    },
    { status },
  );

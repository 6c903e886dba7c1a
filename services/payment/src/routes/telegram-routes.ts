import { createRoute } from '@hono/zod-openapi';
import {
  errorResponses,
  forbidden,
  isServiceToken,
  jsonBody,
  jsonResponse,
  orderIdOfInvoicePayload,
  type Authenticator,
  type ServiceApp,
} from '@shop/shared';
import type { MiddlewareHandler } from 'hono';
import type { PaymentDeps } from '../deps.ts';
import { preCheckoutRefusal } from '../domain/invoice-rules.ts';
import { invoiceOf } from '../store/invoices.ts';
import { telegramPaymentView } from '../store/payment-queries.ts';
import { recordTelegramPayment } from '../store/telegram-payments.ts';
import {
  preCheckoutAnswerSchema,
  preCheckoutRequestSchema,
  telegramPaymentRequestSchema,
  telegramPaymentSchema,
} from './schemas.ts';

const tags = ['telegram payments'];
const security = [{ bearer: [] }];

const preCheckoutRoute = createRoute({
  method: 'post',
  path: '/payments/telegram/pre-checkout',
  tags,
  security,
  description:
    "Whether the buyer may pay the invoice Telegram's `pre_checkout_query` is about (the bot asks, with the buyer's token): an invoice issued for this buyer, this currency and amount, for an order neither cancelled nor paid. `{ok:false, reason}` says why not: `not_found` (no such invoice, or someone else's: never told apart), `cancelled`, `expired`, `already_paid`, `unknown_currency`, `price_changed`. Reads only.",
  request: { body: jsonBody(preCheckoutRequestSchema) },
  responses: {
    200: jsonResponse(preCheckoutAnswerSchema, 'May it be paid'),
    ...errorResponses(400, 401, 413, 415),
  },
});

const recordRoute = createRoute({
  method: 'post',
  path: '/payments/telegram',
  tags,
  security,
  description:
    "Records a payment Telegram took (`successful_payment`), exactly once per `telegramPaymentChargeId`: 201 when recorded now, 200 with the same payment when that charge was recorded before (nothing changes). Only the bot may call it, with the payer's token and its `X-Service-Token` (403 otherwise). Money the order can take is kept (`succeeded`; the order becomes paid); any other (a cancelled or expired order, one paid already, another payer, another amount) is recorded all the same as `refund_pending` with its `refundReason`, and given back; so is a payment whose invoice payload names no order of ours (`orderId` null, `not_payable`). Never refused for not fitting the order: it is money already taken.",
  request: { body: jsonBody(telegramPaymentRequestSchema) },
  responses: {
    200: jsonResponse(telegramPaymentSchema, 'Recorded before: the same payment'),
    201: jsonResponse(telegramPaymentSchema, 'Recorded'),
    ...errorResponses(400, 401, 403, 413, 415),
  },
});

/** Admits only the bot: the request carries BOT_SERVICE_TOKEN as `X-Service-Token`. */
const botOnly =
  (serviceToken: string): MiddlewareHandler =>
  async (c, next) => {
    if (!isServiceToken(c.req.header('X-Service-Token'), serviceToken))
      throw forbidden('Only the bot may record a payment');
    await next();
  };

/** `POST /payments/telegram/pre-checkout` and `POST /payments/telegram`: the bot's half of an invoice. */
export function registerTelegramPaymentRoutes(
  app: ServiceApp,
  deps: PaymentDeps,
  authenticate: Authenticator,
): void {
  app.openapi({ ...preCheckoutRoute, middleware: [authenticate] as const }, async (c) => {
    const { invoicePayload, currency, totalAmount } = c.req.valid('json');
    const orderId = orderIdOfInvoicePayload(invoicePayload);
    const invoice = orderId === undefined ? undefined : await invoiceOf(deps.em.fork(), orderId);
    const reason = preCheckoutRefusal(invoice, c.var.user.sub, { currency, totalAmount });
    return c.json(reason === undefined ? { ok: true as const } : { ok: false as const, reason }, 200);
  });

  app.openapi(
    { ...recordRoute, middleware: [authenticate, botOnly(deps.serviceToken)] as const },
    async (c) => {
      const { invoicePayload, ...charge } = c.req.valid('json');
      // A payload that names no order of ours: the money is recorded all the same, to go back.
      const orderId = orderIdOfInvoicePayload(invoicePayload);
      const { created, payment } = await recordTelegramPayment(deps.em, {
        ...charge,
        orderId,
        payerId: c.var.user.sub,
      });
      return c.json(telegramPaymentView(payment), created ? 201 : 200);
    },
  );
}

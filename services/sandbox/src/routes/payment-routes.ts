import { createRoute } from '@hono/zod-openapi';
import {
  conflict,
  emptyBodyIsNone,
  errorResponses,
  jsonBody,
  jsonResponse,
  notFound,
  optionalJsonBody,
  type ServiceApp,
} from '@shop/shared';
import type { ChatState } from '../world/chats.ts';
import { completePayment, pay, type CardFailure, type InvoiceSource } from '../world/checkout.ts';
import type { World } from '../world/index.ts';
import { invoiceView } from '../world/views.ts';
import {
  chatLinkParamsSchema,
  invoiceMessageParamsSchema,
  invoiceSchema,
  linkParamsSchema,
  payRequestSchema,
  payResultSchema,
  successfulPaymentSchema,
} from './payment-schemas.ts';
import { chatParamsSchema } from './schemas.ts';

const tags = ['sandbox payments'];
const PAY_FLOW =
  "The bot gets a `pre_checkout_query` and has the pre-checkout time limit (10 s) to answer it. Only a yes is charged: Stars from the user's balance (too few: `failed`, `insufficient_stars`, and the bot hears nothing), or the card (`fail` makes that fail). Then the chat gets a service message with `successful_payment` from the user, which the bot gets as a `message` update. The answer tells the outcome: `paid` (with the charge and the update id), `refused` (with the bot's `error_message`) or `failed` (with the `reason`); nothing is charged unless `paid`.";
const payInvoiceRoute = createRoute({
  method: 'post',
  path: '/sandbox/api/chats/{chatId}/invoices/{messageId}/pay',
  tags,
  description: `The user presses Pay on an invoice message of their chat. ${PAY_FLOW} An invoice already paid cannot be paid again (409 \`already_paid\`), nor one being paid (409 \`payment_in_progress\`); a deleted one is gone (404).`,
  request: { params: invoiceMessageParamsSchema, body: optionalJsonBody(payRequestSchema) },
  responses: { 200: jsonResponse(payResultSchema, 'The outcome'), ...errorResponses(400, 404, 409) },
});
const payLinkRoute = createRoute({
  method: 'post',
  path: '/sandbox/api/chats/{chatId}/invoice-links/{slug}/pay',
  tags,
  description: `The user opens an invoice link (createInvoiceLink) and pays it; a link can be paid again and again. ${PAY_FLOW}`,
  request: { params: chatLinkParamsSchema, body: optionalJsonBody(payRequestSchema) },
  responses: { 200: jsonResponse(payResultSchema, 'The outcome'), ...errorResponses(400, 404) },
});
const linkRoute = createRoute({
  method: 'get',
  path: '/sandbox/api/invoice-links/{slug}',
  tags,
  description: 'The invoice an invoice link shows.',
  request: { params: linkParamsSchema },
  responses: { 200: jsonResponse(invoiceSchema, 'The invoice'), ...errorResponses(400, 404) },
});
const successfulPaymentRoute = createRoute({
  method: 'post',
  path: '/sandbox/api/chats/{chatId}/successful-payments',
  tags,
  description:
    "Telegram reports a payment whose pre-checkout passed earlier (a payment that arrives late): no pre_checkout_query, the charge is made (Stars from the user's balance) and the bot gets the `successful_payment` message at once.",
  request: { params: chatParamsSchema, body: jsonBody(successfulPaymentSchema) },
  responses: { 201: jsonResponse(payResultSchema, 'Paid'), ...errorResponses(400, 404, 409) },
});

/** Paying invoices as a user, and a payment reported without its pre-checkout. */
export function registerPaymentRoutes(app: ServiceApp, world: World): void {
  const chatOf = (chatId: number) => {
    const chat = world.chats.get(chatId);
    if (!chat) throw notFound(`User ${chatId}`);
    return chat;
  };
  /** Invoice messages being paid now, by chat and message id. */
  const paying = new Set<string>();

  const payMessage = async (chat: ChatState, messageId: number, fail: CardFailure | undefined) => {
    const invoice = chat.messages.get(messageId)?.invoice;
    if (!invoice) throw notFound(`Invoice message ${messageId}`);
    if (invoice.paidChargeId) throw conflict('already_paid', `Invoice message ${messageId} is paid already`);
    const key = `${chat.chat.id}:${messageId}`;
    if (paying.has(key)) throw conflict('payment_in_progress', `Invoice message ${messageId} is being paid`);
    paying.add(key);
    try {
      return await pay(world, chat, { details: invoice.details, messageId }, fail ? { fail } : {});
    } finally {
      paying.delete(key);
    }
  };

  app.openapi({ ...payInvoiceRoute, middleware: [emptyBodyIsNone] as const }, async (c) => {
    const { chatId, messageId } = c.req.valid('param');
    const result = await payMessage(chatOf(chatId), messageId, c.req.valid('json').fail);
    return c.json(result, 200);
  });

  app.openapi({ ...payLinkRoute, middleware: [emptyBodyIsNone] as const }, async (c) => {
    const { chatId, slug } = c.req.valid('param');
    const chat = chatOf(chatId);
    const details = world.invoiceLinks.get(slug);
    if (!details) throw notFound('Invoice link');
    const fail = c.req.valid('json').fail;
    return c.json(await pay(world, chat, { details }, fail ? { fail } : {}), 200);
  });

  app.openapi(linkRoute, (c) => {
    const details = world.invoiceLinks.get(c.req.valid('param').slug);
    if (!details) throw notFound('Invoice link');
    return c.json(invoiceView({ details }), 200);
  });

  app.openapi(successfulPaymentRoute, (c) => {
    const chat = chatOf(c.req.valid('param').chatId);
    const { currency, totalAmount, invoicePayload } = c.req.valid('json');
    if (currency === 'XTR' && !world.stars.take(chat.user.id, totalAmount)) {
      throw conflict('insufficient_stars', `User ${chat.user.id} has fewer than ${totalAmount} Stars`);
    }
    const source: InvoiceSource = {
      details: {
        title: 'Payment',
        description: 'Reported by the control API',
        payload: invoicePayload,
        providerToken: '',
        currency,
        prices: [{ label: 'Total', amount: totalAmount }],
        totalAmount,
        startParameter: '',
      },
    };
    return c.json(completePayment(world, chat, source), 201);
  });
}

import { createRoute, z } from '@hono/zod-openapi';
import {
  errorResponses,
  jsonBody,
  jsonResponse,
  languageOfAcceptLanguage,
  type Authenticator,
  type ServiceApp,
} from '@shop/shared';
import type { PaymentDeps } from '../deps.ts';
import { invoiceLinkOf } from '../telegram/invoice-links.ts';

const invoiceLinkRequestSchema = z
  .object({ orderId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).openapi({ example: 42 }) })
  .openapi('InvoiceLinkRequest');

const invoiceLinkSchema = z
  .object({
    invoiceLink: z.string().openapi({
      description:
        "Telegram's link to the invoice (`https://t.me/$…`): a Mini App opens it with `openInvoice`",
      example: 'https://t.me/$AbCdEf123',
    }),
  })
  .openapi('InvoiceLink');

const invoiceLinkRoute = createRoute({
  method: 'post',
  path: '/payments/telegram/invoice-link',
  tags: ['telegram payments'],
  security: [{ bearer: [] }],
  description:
    "An invoice link (Bot API `createInvoiceLink`) for one of your orders that awaits payment by a Telegram invoice (`telegram` or `stars`): the same invoice the chat gets (title, lines, prices, photo, payload `order:<id>`), in the language of `Accept-Language` (English or Russian). The storefront's Mini App opens it with `openInvoice`. 404 for an order with no invoice of yours (someone else's, unknown, not reserved yet, or paid another way: never told apart); 409 `not_awaiting_payment` with `details.reason` (`cancelled`, `expired`, `already_paid`); 503 `telegram_unavailable` when Telegram does not make it. Records nothing: paying it is checked like any invoice.",
  request: { body: jsonBody(invoiceLinkRequestSchema) },
  responses: {
    200: jsonResponse(invoiceLinkSchema, 'The invoice link'),
    ...errorResponses(400, 401, 404, 409, 413, 415, 503),
  },
});

/** `POST /payments/telegram/invoice-link`: the Mini App's way to the invoice of the buyer's order. */
export function registerInvoiceLinkRoutes(
  app: ServiceApp,
  deps: PaymentDeps,
  authenticate: Authenticator,
): void {
  app.openapi({ ...invoiceLinkRoute, middleware: [authenticate] as const }, async (c) => {
    const invoiceLink = await invoiceLinkOf(deps.invoiceLinks, deps.em.fork(), {
      orderId: c.req.valid('json').orderId,
      buyerId: c.var.user.sub,
      language: languageOfAcceptLanguage(c.req.header('Accept-Language')),
    });
    return c.json({ invoiceLink }, 200);
  });
}

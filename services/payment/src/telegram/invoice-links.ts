import {
  AppError,
  conflict,
  invoicePayloadOf,
  invoiceParams,
  NO_INVOICE,
  notFound,
  renderInvoice,
  type InvoicePhotoCheck,
  type InvoiceSettings,
  type Language,
  type ServiceEntityManager,
} from '@shop/shared';
import type { Logger } from 'pino';
import { preCheckoutRefusal } from '../domain/invoice-rules.ts';
import { invoiceOf } from '../store/invoices.ts';
import { TelegramApiError, type PaymentBotApi } from './bot-api.ts';

/** What the Mini App's invoice links are made with. */
export interface InvoiceLinkDeps {
  /** Undefined without TELEGRAM_BOT_TOKEN: no link can be made. */
  api: PaymentBotApi | undefined;
  settings: InvoiceSettings;
  checkPhoto: InvoicePhotoCheck;
  logger: Logger;
}

const telegramFailed = (why: string) =>
  new AppError(
    503,
    'telegram_unavailable',
    `Telegram did not make the invoice link (${why}); try again shortly`,
  );

/**
 * The link (`createInvoiceLink`) a Mini App opens the invoice of the buyer's order by: the same
 * invoice the chat gets (`renderInvoice`: title, lines, prices, photo, payload `order:<id>`), in
 * `language`. Only the buyer's own order with an invoice (404 otherwise, never told apart), and
 * only while it awaits payment (409 `not_awaiting_payment`, `details.reason` as pre-checkout says
 * it: `cancelled`, `expired`, `already_paid`). Telegram failing, or no bot token, is a 503.
 * Nothing is recorded: a link is made again each time, and paying it is checked like any invoice.
 */
export async function invoiceLinkOf(
  deps: InvoiceLinkDeps,
  em: ServiceEntityManager,
  request: { orderId: number; buyerId: string; language: Language },
): Promise<string> {
  const { orderId, buyerId, language } = request;
  const invoice = await invoiceOf(em, orderId);
  const missing = notFound(`An invoice of yours for order ${orderId}`);
  if (!invoice) throw missing;
  // Pre-checkout's rules, for the invoice's own amount: only whose it is and whether it can still be paid count.
  const refusal = preCheckoutRefusal(invoice, buyerId, {
    currency: invoice.currency,
    totalAmount: invoice.amountCents,
  });
  if (refusal === 'not_found') throw missing;
  if (refusal !== undefined) {
    throw conflict('not_awaiting_payment', `Order ${orderId} no longer awaits payment`, { reason: refusal });
  }
  const content = renderInvoice(
    {
      orderId,
      method: invoice.method,
      invoicePayload: invoicePayloadOf(orderId),
      items: invoice.items,
      totalCents: invoice.amountCents,
      currency: invoice.currency,
      languageCode: language,
    },
    deps.settings,
  );
  if (!content) throw telegramFailed(NO_INVOICE);
  if (!deps.api) throw telegramFailed('TELEGRAM_BOT_TOKEN is not set');
  try {
    return await deps.api.createInvoiceLink(invoiceParams(await deps.checkPhoto(content)));
  } catch (error) {
    deps.logger.warn({ err: error, orderId }, 'createInvoiceLink failed');
    const why = error instanceof TelegramApiError ? error.description : 'no answer';
    throw Object.assign(telegramFailed(why), { cause: error });
  }
}

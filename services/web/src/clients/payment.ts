import type { Language } from '@shop/shared';
import { z } from 'zod';
import type { ServiceCaller } from './http.ts';

const invoiceLinkSchema = z.object({ invoiceLink: z.string() });

/** What the storefront asks the payment service (services/payment/README.md). */
export interface PaymentClient {
  /**
   * The invoice link (`https://t.me/$…`) of the buyer's order, in `lang`: 404 (none of theirs),
   * 409 `not_awaiting_payment` are `ServiceAnswer`s; Telegram failing is an outage.
   */
  invoiceLink(token: string, orderId: number, lang: Language): Promise<string>;
}

export function paymentClient(payment: ServiceCaller): PaymentClient {
  return {
    invoiceLink: async (token, orderId, lang) =>
      (
        await payment.send(invoiceLinkSchema, '/payments/telegram/invoice-link', {
          method: 'POST',
          body: { orderId },
          headers: { Authorization: `Bearer ${token}`, 'Accept-Language': lang },
        })
      ).invoiceLink,
  };
}

/**
 * The slug of an invoice link, which a Mini App opens the invoice by (`web_app_open_invoice`):
 * `https://t.me/$<slug>` or `https://t.me/invoice/<slug>`, as Telegram makes them; else undefined.
 */
export function invoiceSlugOf(link: string): string | undefined {
  return /^https:\/\/(?:t|telegram)\.me\/(?:\$|invoice\/)([\w-]{1,128})$/.exec(link)?.[1];
}

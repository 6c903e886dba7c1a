import { preCheckoutRefusals, type PreCheckoutRefusal } from '@shop/shared';
import { z } from 'zod';
import {
  bearer,
  createHttpClient,
  type HttpClientOptions,
  listOf,
  pageOf,
  ServiceResponseError,
} from './http.ts';

const idSchema = z.union([z.number(), z.string()]).transform(String);

const paymentSchema = z.object({
  id: idSchema,
  orderId: idSchema,
  status: z.string(),
  amountCents: z.number().int(),
  currency: z.string(),
});
export type Payment = z.infer<typeof paymentSchema>;

/** A payment as the merchant's desk lists it: with the charge ids the provider's dashboard knows. */
const adminPaymentSchema = paymentSchema.extend({
  // Null for money Telegram took for an invoice payload that names no order of ours.
  orderId: z.number().int().nullable(),
  method: z.string(),
  telegramPaymentChargeId: z.string().nullish(),
  providerPaymentChargeId: z.string().nullish(),
});
export type AdminPayment = z.infer<typeof adminPaymentSchema>;
const adminPageSchema = pageOf(adminPaymentSchema);
export type AdminPaymentPage = z.infer<typeof adminPageSchema>;

const preCheckoutSchema = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), reason: z.enum(preCheckoutRefusals) }),
]);
export type PaymentPreCheckout = { ok: true } | { ok: false; reason: PreCheckoutRefusal };

/** What Telegram's pre_checkout_query (and then its successful_payment) says is being paid. */
export interface InvoiceQuery {
  invoicePayload: string;
  currency: string;
  totalAmount: number;
}

/** A `successful_payment` as the payment service records it. */
export interface TelegramPayment extends InvoiceQuery {
  telegramPaymentChargeId: string;
  providerPaymentChargeId: string;
  telegramUserId: number;
}

/** How marking a payment refunded ended: done (also when it was already), not owed back, or no such payment. */
export type MarkRefunded = 'refunded' | 'not-owed' | 'gone';

/** The payment service's routes the bot uses (services/payment, docs/decisions/telegram-payments.md). */
export interface PaymentClient {
  /** The buyer's payments of one order (`GET /payments?orderId=`). */
  list(accessToken: string, orderId: string): Promise<Payment[]>;
  /** Whether an invoice issued to this buyer may be paid now; nothing is recorded. */
  preCheckout(accessToken: string, query: InvoiceQuery): Promise<PaymentPreCheckout>;
  /**
   * Records a payment Telegram took, with the buyer's token and the bot's service token: resolves
   * once the payment service has it (201 new, 200 the same charge recorded before); throws while
   * it is down or refuses.
   */
  record(accessToken: string, payment: TelegramPayment): Promise<void>;
  /** The merchant's desk, each call with an admin's access token. */
  admin: {
    /**
     * Provider payments awaiting a refund by hand (`refund_pending`, `telegram`: the payment
     * service refunds Stars itself), newest first, the first `limit` of them and how many in all.
     */
    owed(accessToken: string, limit: number): Promise<AdminPaymentPage>;
    markRefunded(accessToken: string, paymentId: string): Promise<MarkRefunded>;
  };
  ping(): Promise<void>;
}

export interface PaymentClientOptions extends Omit<HttpClientOptions, 'service'> {
  /** BOT_SERVICE_TOKEN: the payment service takes a Telegram payment from the bot alone. */
  serviceToken: string;
}

export function createPaymentClient({ serviceToken, ...options }: PaymentClientOptions): PaymentClient {
  const http = createHttpClient({ ...options, service: 'payment' });
  return {
    list: (token, orderId) =>
      http.json(listOf(paymentSchema), '/payments', { query: { orderId }, headers: bearer(token) }),
    preCheckout: (token, query) =>
      http.json(preCheckoutSchema, '/payments/telegram/pre-checkout', {
        method: 'POST',
        body: query,
        headers: bearer(token),
      }),
    // Any 2xx will do: a body that broke a schema here would hold a taken payment back for nothing.
    record: (token, payment) =>
      http.empty('/payments/telegram', {
        method: 'POST',
        body: payment,
        headers: { ...bearer(token), 'X-Service-Token': serviceToken },
      }),
    admin: {
      owed: (token, limit) =>
        http.json(adminPageSchema, '/admin/payments', {
          query: { status: 'refund_pending', method: 'telegram', page: 1, limit },
          headers: bearer(token),
        }),
      async markRefunded(token, paymentId) {
        if (!/^[\w-]{1,64}$/.test(paymentId)) return 'gone';
        try {
          await http.empty(`/admin/payments/${paymentId}/refunded`, {
            method: 'POST',
            headers: bearer(token),
          });
          return 'refunded';
        } catch (error) {
          if (error instanceof ServiceResponseError && (error.status === 404 || error.status === 400))
            return 'gone';
          if (error instanceof ServiceResponseError && error.code === 'invalid_transition') return 'not-owed';
          throw error;
        }
      },
    },
    ping: () => http.empty('/health'),
  };
}

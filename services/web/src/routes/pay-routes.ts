import { ServiceUnavailableError, type ServiceApp } from '@shop/shared';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ServiceAnswer } from '../clients/http.ts';
import type { OrderClient } from '../clients/order.ts';
import { invoiceSlugOf, type PaymentClient } from '../clients/payment.ts';
import { pageLanguage } from '../language.ts';
import type { Sessions } from '../session/sessions.ts';
import { texts } from '../texts.ts';
import { ownOrderOf } from './own-order.ts';
import { idOf } from './params.ts';

export interface PayDeps {
  orders: OrderClient;
  payments: PaymentClient;
  sessions: Sessions;
}

const problem = (c: Context, status: ContentfulStatusCode, code: string, message: string) =>
  c.json({ error: { code, message } }, status);

/**
 * `POST /orders/:id/invoice`: the slug of the buyer's order's invoice link (payment's
 * `POST /payments/telegram/invoice-link`), for the Mini App to open (`web_app_open_invoice`):
 * 200 `{slug, invoiceLink}`. Errors are the contract's JSON with a sentence in the page's language:
 * 401 without a session, 404 for no order of theirs, 409 `not_ready` (its invoice is still being
 * made) or `not_awaiting_payment`, 503 `telegram_unavailable`.
 */
export function registerPayRoutes(app: ServiceApp, deps: PayDeps): void {
  app.post('/orders/:id/invoice', async (c) => {
    c.header('Cache-Control', 'no-store');
    const lang = pageLanguage(c);
    const t = texts[lang];
    const session = await deps.sessions.current(c);
    if (session === undefined) return problem(c, 401, 'unauthorized', 'Sign in again to pay this order');
    const id = idOf(c.req.param('id'));
    if (id === undefined) return problem(c, 404, 'not_found', 'No such order');
    try {
      const invoiceLink = await deps.payments.invoiceLink(session.accessToken, id, lang);
      const slug = invoiceSlugOf(invoiceLink);
      if (slug === undefined)
        throw new ServiceUnavailableError('payment', new Error(`not an invoice link: ${invoiceLink}`));
      return c.json({ slug, invoiceLink }, 200);
    } catch (error) {
      if (error instanceof ServiceUnavailableError) {
        c.var.log.warn({ err: error.cause ?? error, orderId: id }, 'no invoice link');
        c.header('Retry-After', '5');
        return problem(c, 503, 'telegram_unavailable', t.payUnavailable);
      }
      if (!(error instanceof ServiceAnswer) || (error.status !== 404 && error.status !== 409)) throw error;
      if (error.status === 409) return problem(c, 409, 'not_awaiting_payment', t.payNoLonger);
      // No invoice yet: the order may have been reserved a moment ago, its invoice on the way.
      const order = await ownOrderOf(deps.orders, session.accessToken, String(id));
      if (order?.status === 'pending' || order?.status === 'awaiting_payment')
        return problem(c, 409, 'not_ready', t.payNotReady);
      return problem(c, 404, 'not_found', 'No such order');
    }
  });
}

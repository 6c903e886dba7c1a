import type { Logger } from '../logger/index.ts';
import type { Invoice } from './invoice.ts';

/** Makes an invoice ready to send: see `createInvoicePhotoCheck`. */
export type InvoicePhotoCheck = (invoice: Invoice) => Promise<Invoice>;

/**
 * Keeps an invoice's photo only if its address answers with an image now: Telegram fetches the
 * photo itself and shows a broken picture for a product without one (the catalog answers 404) or
 * a catalog it cannot reach. Asked as notification claims the invoice, right before its send
 * (`sendInvoice`), or as payment makes the link (`createInvoiceLink`), with a short timeout: an
 * invoice without its photo is better than a late one.
 */
export function createInvoicePhotoCheck({
  logger,
  timeoutMs = 2_000,
}: {
  logger: Logger;
  timeoutMs?: number;
}): InvoicePhotoCheck {
  const log = logger.child({ component: 'invoice-photo' });
  const answers = async (url: string): Promise<boolean> => {
    try {
      const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
      return response.ok && (response.headers.get('Content-Type') ?? '').startsWith('image/');
    } catch (error) {
      log.warn({ url, err: error }, 'the invoice photo did not answer; the invoice goes without it');
      return false;
    }
  };
  return async (invoice) => {
    if (!invoice.photoUrl || (await answers(invoice.photoUrl))) return invoice;
    const { photoUrl: _dropped, ...rest } = invoice;
    return rest;
  };
}

import type { Logger } from 'pino';
import type { MessageContent } from './client.ts';

/** Makes an invoice's content ready to send: see `createInvoicePhotoCheck`. */
export type InvoicePhotoCheck = (content: MessageContent) => Promise<MessageContent>;

/**
 * Keeps an invoice's photo only if its address answers with an image now: Telegram fetches the
 * photo itself and shows a broken picture for a product without one (the catalog answers 404) or
 * a catalog it cannot reach. Asked as the invoice is claimed, right before its send, with a short
 * timeout: an invoice without its photo is better than a late one. Other content passes unchanged.
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
  return async (content) => {
    if (!('invoice' in content) || !content.invoice.photoUrl) return content;
    if (await answers(content.invoice.photoUrl)) return content;
    const { photoUrl: _dropped, ...invoice } = content.invoice;
    return { ...content, invoice };
  };
}

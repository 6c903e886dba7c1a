import { randomBytes } from 'node:crypto';
import type { InvoiceDetails } from './types.ts';

const LINK_PREFIX = 'https://t.me/$';

/** Invoices made with createInvoiceLink, by the slug of their `https://t.me/$<slug>` link. */
export class InvoiceLinks {
  readonly #bySlug = new Map<string, InvoiceDetails>();

  /** Stores the invoice and returns its link. */
  create(details: InvoiceDetails): string {
    const slug = randomBytes(16).toString('base64url');
    this.#bySlug.set(slug, details);
    return `${LINK_PREFIX}${slug}`;
  }

  /** The invoice a link (or its slug, with or without the `$`) names. */
  get(linkOrSlug: string): InvoiceDetails | undefined {
    const slug = linkOrSlug.startsWith(LINK_PREFIX)
      ? linkOrSlug.slice(LINK_PREFIX.length)
      : linkOrSlug.replace(/^\$/, '');
    return this.#bySlug.get(slug);
  }

  clear(): void {
    this.#bySlug.clear();
  }
}

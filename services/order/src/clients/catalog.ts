import { ServiceUnavailableError } from '@shop/shared';
import { z } from 'zod';

/** A product as the catalog publishes it (DESIGN.md section 5); extra fields are ignored. */
const catalogProductSchema = z.object({
  id: z.number().int().positive(),
  name: z.string().min(1),
  priceCents: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  stock: z.number().int().nonnegative(),
});
export type CatalogProduct = z.infer<typeof catalogProductSchema>;

const productPageSchema = z.object({ items: z.array(catalogProductSchema) });

export interface CatalogClient {
  /**
   * The live products among `ids`, in ONE request; an id the catalog does not return is unknown
   * or deleted. Throws `ServiceUnavailableError('catalog')` on a network error, timeout, non-2xx
   * answer or an answer that breaks the contract.
   */
  productsByIds(ids: readonly number[], options?: { acceptLanguage?: string }): Promise<CatalogProduct[]>;
  /** Throws unless the catalog answers its health probe; for `/ready`. */
  check(): Promise<void>;
}

export interface CatalogClientOptions {
  baseUrl: string;
  timeoutMs: number;
}

export function createCatalogClient({ baseUrl, timeoutMs }: CatalogClientOptions): CatalogClient {
  return {
    async productsByIds(ids, { acceptLanguage } = {}) {
      const url = new URL('/products', baseUrl);
      // `ids` answers every live product named in one page; the catalog rejects paging beside it.
      url.searchParams.set('ids', ids.join(','));
      let body: unknown;
      try {
        const response = await fetch(url, {
          headers: {
            Accept: 'application/json',
            ...(acceptLanguage ? { 'Accept-Language': acceptLanguage } : {}),
          },
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) {
          await response.body?.cancel();
          throw new Error(`GET ${url.pathname} answered ${response.status}`);
        }
        body = await response.json();
      } catch (error) {
        throw new ServiceUnavailableError('catalog', error);
      }
      const page = productPageSchema.safeParse(body);
      if (!page.success) {
        throw new ServiceUnavailableError(
          'catalog',
          new Error(`unexpected answer: ${z.prettifyError(page.error)}`),
        );
      }
      return page.data.items;
    },

    async check() {
      const response = await fetch(new URL('/health', baseUrl), { signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`catalog health answered ${response.status}`);
    },
  };
}

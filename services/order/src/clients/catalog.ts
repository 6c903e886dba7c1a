import { ServiceUnavailableError } from '@shop/shared';
import { z } from 'zod';
import { createJsonGetter } from './get-json.ts';

/** A product as the catalog serves it (services/catalog/README.md); extra fields are ignored. */
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
  /** Closes the kept-alive connections. */
  close(): void;
}

export interface CatalogClientOptions {
  baseUrl: string;
  timeoutMs: number;
}

/**
 * A catalog client over kept-alive connections. Identical lookups (same ids, same language)
 * made while one is on its way share it: a rush on one product costs the catalog one request
 * per round trip instead of one per order. The shared answer is never older than the request in
 * flight, i.e. at most one catalog round trip (`timeoutMs` at worst); nothing is kept after it.
 */
export function createCatalogClient({ baseUrl, timeoutMs }: CatalogClientOptions): CatalogClient {
  const http = createJsonGetter({ timeoutMs });
  const inFlight = new Map<string, Promise<CatalogProduct[]>>();

  const fetchProducts = async (ids: readonly number[], acceptLanguage: string | undefined) => {
    const url = new URL('/products', baseUrl);
    // `ids` answers every live product named in one page; the catalog rejects paging beside it.
    url.searchParams.set('ids', ids.join(','));
    let body: unknown;
    try {
      body = await http.get(url, {
        Accept: 'application/json',
        ...(acceptLanguage ? { 'Accept-Language': acceptLanguage } : {}),
      });
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
  };

  return {
    productsByIds(ids, { acceptLanguage } = {}) {
      const key = `${ids.join(',')} ${acceptLanguage ?? ''}`;
      let lookup = inFlight.get(key);
      if (!lookup) {
        lookup = fetchProducts(ids, acceptLanguage).finally(() => inFlight.delete(key));
        inFlight.set(key, lookup);
      }
      return lookup;
    },

    async check() {
      await http.get(new URL('/health', baseUrl), { Accept: 'application/json' });
    },

    close: () => http.close(),
  };
}

import type { Language } from '@shop/shared';
import { z } from 'zod';
import { ServiceAnswer, type ServiceCaller } from './http.ts';

// Only a photo path of the catalog's own is ever put in a page: nothing else can end up in `src`.
const IMAGE_PATH = /^\/products\/\d{1,10}\/image(\?v=[\w-]{1,64})?$/;

const productSchema = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  description: z.string(),
  priceCents: z.number().int(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  stock: z.number().int(),
  categoryId: z.number().int().nullable(),
  imageUrl: z
    .string()
    .nullable()
    .transform((url) => (url !== null && IMAGE_PATH.test(url) ? url : null)),
});
export type Product = z.infer<typeof productSchema>;

const categoriesSchema = z.object({
  items: z.array(z.object({ id: z.number().int(), name: z.string(), productCount: z.number().int() })),
});
export type Category = z.infer<typeof categoriesSchema>['items'][number];

const productPageSchema = z.object({
  items: z.array(productSchema),
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
});
export type ProductPage = z.infer<typeof productPageSchema>;

export interface ProductQuery {
  category?: number;
  q?: string;
  page: number;
  limit: number;
}

/** What the storefront reads from the catalog, in the page's language (services/catalog/README.md). */
export interface CatalogReader {
  categories(lang: Language): Promise<Category[]>;
  products(query: ProductQuery, lang: Language): Promise<ProductPage>;
  /** Undefined when there is no such product for buyers (unknown, deleted or hidden). */
  product(id: number, lang: Language): Promise<Product | undefined>;
  /** The photo of product `id` as the catalog answers it (200, 304 or 404), `version` its `?v=`. */
  image(id: number, version: string | undefined, ifNoneMatch: string | undefined): Promise<Response>;
}

export function catalogReader(catalog: ServiceCaller): CatalogReader {
  return {
    categories: async (lang) => (await catalog.json(categoriesSchema, `/categories?lang=${lang}`)).items,
    products(query, lang) {
      const params = new URLSearchParams({ page: String(query.page), limit: String(query.limit), lang });
      if (query.category !== undefined) params.set('category', String(query.category));
      if (query.q !== undefined) params.set('q', query.q);
      return catalog.json(productPageSchema, `/products?${params.toString()}`);
    },
    async product(id, lang) {
      try {
        return await catalog.json(productSchema, `/products/${id}?lang=${lang}`);
      } catch (error) {
        if (error instanceof ServiceAnswer && error.status === 404) return undefined;
        throw error;
      }
    },
    image(id, version, ifNoneMatch) {
      const query = version === undefined ? '' : `?v=${encodeURIComponent(version)}`;
      return catalog.raw(
        `/products/${id}/image${query}`,
        ifNoneMatch ? { 'If-None-Match': ifNoneMatch } : {},
      );
    },
  };
}

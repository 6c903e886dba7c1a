import { z } from 'zod';
import { createCatalogAdmin, type CatalogAdmin } from './catalog-admin.ts';
import { idSchema, productSchema } from './catalog-schemas.ts';
import { createHttpClient, type HttpClientOptions, ServiceResponseError, pageOf } from './http.ts';

export type Product = z.infer<typeof productSchema>;

/** Telegram takes photos up to 10 MB; the catalog stores them far smaller. */
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
// Only a path of the catalog's own: an imageUrl never sends the bot to another host.
const IMAGE_PATH = /^\/products\/[\w-]{1,64}\/image(\?[\w=&-]{0,200})?$/;

const categorySchema = z.object({ id: idSchema, name: z.string() }).loose();
export type Category = z.infer<typeof categorySchema>;

const productPageSchema = pageOf(productSchema);
export type ProductPage = z.infer<typeof productPageSchema>;

// The contract names the route, not the envelope: take a bare list or `{items}`.
const categoriesSchema = z
  .union([z.array(categorySchema), z.object({ items: z.array(categorySchema) })])
  .transform((body) => (Array.isArray(body) ? body : body.items));

export interface ProductQuery {
  category?: string;
  q?: string;
  page: number;
  limit: number;
}

/** The catalog's public reads (services/catalog/README.md). `locale` picks the language of names. */
export interface CatalogClient {
  categories(locale: string): Promise<Category[]>;
  products(query: ProductQuery, locale: string): Promise<ProductPage>;
  /** Undefined when the product does not exist (or was deleted). */
  product(id: string, locale: string): Promise<Product | undefined>;
  /** The bytes of a product photo by its `imageUrl`. */
  image(imageUrl: string): Promise<Uint8Array>;
  /** The merchant's reads and writes, each with an admin's access token. */
  admin: CatalogAdmin;
  ping(): Promise<void>;
}

export function createCatalogClient(options: Omit<HttpClientOptions, 'service'>): CatalogClient {
  const http = createHttpClient({ ...options, service: 'catalog' });
  const lang = (locale: string) => ({ 'Accept-Language': locale });
  return {
    categories: (locale) => http.json(categoriesSchema, '/categories', { headers: lang(locale) }),
    products: (query, locale) =>
      http.json(productPageSchema, '/products', { query: { ...query }, headers: lang(locale) }),
    async product(id, locale) {
      if (!/^[\w-]{1,64}$/.test(id)) return undefined;
      try {
        return await http.json(productSchema, `/products/${id}`, { headers: lang(locale) });
      } catch (error) {
        if (error instanceof ServiceResponseError && (error.status === 404 || error.status === 400))
          return undefined;
        throw error;
      }
    },
    async image(imageUrl) {
      if (!IMAGE_PATH.test(imageUrl)) throw new Error(`not a catalog photo path: ${imageUrl.slice(0, 100)}`);
      return http.bytes(imageUrl, MAX_PHOTO_BYTES, { headers: { Accept: 'image/*' } });
    },
    admin: createCatalogAdmin(http),
    ping: () => http.empty('/health'),
  };
}

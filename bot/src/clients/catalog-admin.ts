import { z } from 'zod';
import { idSchema, productSchema } from './catalog-schemas.ts';
import { bearer, type HttpClient, ServiceResponseError, pageOf } from './http.ts';

const localizedSchema = z.object({ en: z.string(), ru: z.string() });

const adminProductSchema = productSchema.extend({
  hidden: z.boolean(),
  names: localizedSchema,
  descriptions: localizedSchema,
});
export type AdminProduct = z.infer<typeof adminProductSchema>;

const adminCategorySchema = z.object({
  id: idSchema,
  name: z.string(),
  productCount: z.number().int(),
  hidden: z.boolean(),
  position: z.number().int(),
  names: localizedSchema,
});
export type AdminCategory = z.infer<typeof adminCategorySchema>;

const adminProductPageSchema = pageOf(adminProductSchema);
export type AdminProductPage = z.infer<typeof adminProductPageSchema>;

const createdSchema = z.object({ id: idSchema });

export interface Localized {
  en: string;
  ru: string;
}

export interface NewProduct {
  name: Localized;
  description: Localized;
  priceCents: number;
  stock: number;
  categoryId: number;
}

export interface ProductPatch {
  name?: Partial<Localized>;
  description?: Partial<Localized>;
  priceCents?: number;
  stock?: number;
  addStock?: number;
  categoryId?: number;
  hidden?: boolean;
}

export interface CategoryPatch {
  name?: Partial<Localized>;
  position?: number;
  hidden?: boolean;
}

const validId = (id: string) => /^\d{1,10}$/.test(id);

/**
 * The catalog's admin routes (services/catalog/README.md): the merchant's reads, hidden products
 * and categories included, and the writes. Every call carries the admin's access token, so the
 * catalog checks the role again. `undefined`: the product or category is gone (a write that
 * succeeded answers `true`).
 */
export function createCatalogAdmin(http: HttpClient) {
  const lang = (token: string, locale: string) => ({ ...bearer(token), 'Accept-Language': locale });
  const orGone = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ServiceResponseError && error.status === 404) return undefined;
      throw error;
    }
  };
  return {
    categories: async (token: string, locale: string) =>
      (
        await http.json(z.object({ items: z.array(adminCategorySchema) }), '/admin/categories', {
          headers: lang(token, locale),
        })
      ).items,
    category: (token: string, id: string, locale: string) =>
      validId(id)
        ? orGone(() =>
            http.json(adminCategorySchema, `/admin/categories/${id}`, { headers: lang(token, locale) }),
          )
        : Promise.resolve(undefined),
    products: (token: string, query: { category: string; page: number; limit: number }, locale: string) =>
      validId(query.category)
        ? orGone(() =>
            http.json(adminProductPageSchema, '/admin/products', { query, headers: lang(token, locale) }),
          )
        : Promise.resolve(undefined),
    product: (token: string, id: string, locale: string) =>
      validId(id)
        ? orGone(() =>
            http.json(adminProductSchema, `/admin/products/${id}`, { headers: lang(token, locale) }),
          )
        : Promise.resolve(undefined),
    async createProduct(token: string, input: NewProduct): Promise<string> {
      const created = await http.json(createdSchema, '/products', {
        method: 'POST',
        body: input,
        headers: bearer(token),
      });
      return created.id;
    },
    updateProduct: (token: string, id: string, patch: ProductPatch) =>
      orGone(async () => {
        await http.empty(`/products/${id}`, { method: 'PATCH', body: patch, headers: bearer(token) });
        return true as const;
      }),
    setImage: (token: string, id: string, bytes: Uint8Array) =>
      orGone(async () => {
        await http.empty(`/products/${id}/image`, { method: 'PUT', bytes, headers: bearer(token) });
        return true as const;
      }),
    async createCategory(token: string, name: Localized): Promise<string> {
      const created = await http.json(createdSchema, '/categories', {
        method: 'POST',
        body: { name },
        headers: bearer(token),
      });
      return created.id;
    },
    updateCategory: (token: string, id: string, patch: CategoryPatch) =>
      orGone(async () => {
        await http.empty(`/categories/${id}`, { method: 'PATCH', body: patch, headers: bearer(token) });
        return true as const;
      }),
  };
}

export type CatalogAdmin = ReturnType<typeof createCatalogAdmin>;

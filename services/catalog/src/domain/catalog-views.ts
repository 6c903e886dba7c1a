import { notFound } from '@shop/shared';
import type { CatalogReads, CategoryRow, ProductRow } from './catalog-reads.ts';

export const languages = ['en', 'ru'] as const;
export type Lang = (typeof languages)[number];

/** The contract's product item; name and description in the requested language. */
export interface ProductItem {
  id: number;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stock: number;
  categoryId: number;
}

export interface ProductList {
  items: ProductItem[];
  page: number;
  limit: number;
  total: number;
}

export interface CategoryItem {
  id: number;
  slug: string;
  name: string;
  productCount: number;
}

export const toItem = (row: ProductRow, lang: Lang): ProductItem => ({
  id: row.id,
  name: lang === 'ru' ? row.nameRu : row.nameEn,
  description: lang === 'ru' ? row.descriptionRu : row.descriptionEn,
  priceCents: row.priceCents,
  currency: row.currency,
  stock: row.stock,
  categoryId: row.categoryId,
});

const toCategory = (row: CategoryRow, lang: Lang): CategoryItem => ({
  id: row.id,
  slug: row.slug,
  name: lang === 'ru' ? row.nameRu : row.nameEn,
  productCount: row.productCount,
});

export interface ProductQuery {
  categoryId?: number;
  q?: string;
  page: number;
  limit: number;
}

export async function productPage(
  reads: CatalogReads,
  query: ProductQuery,
  lang: Lang,
): Promise<ProductList> {
  const { page, limit } = query;
  const result = await reads.listProducts({
    categoryId: query.categoryId,
    q: query.q,
    offset: (page - 1) * limit,
    limit,
  });
  if (!result.categoryFound) throw notFound(`Category ${query.categoryId}`);
  return { items: result.rows.map((row) => toItem(row, lang)), page, limit, total: result.total };
}

/** The order service's price snapshot: the live products among `ids`, in id order; missing ones are left out. */
export async function productsWithIds(
  reads: CatalogReads,
  ids: readonly number[],
  lang: Lang,
): Promise<ProductList> {
  const rows = await reads.productsByIds(ids);
  return { items: rows.map((row) => toItem(row, lang)), page: 1, limit: ids.length, total: rows.length };
}

export async function productWithId(reads: CatalogReads, id: number, lang: Lang): Promise<ProductItem> {
  const row = await reads.product(id);
  if (!row) throw notFound(`Product ${id}`);
  return toItem(row, lang);
}

export async function categoryList(reads: CatalogReads, lang: Lang): Promise<{ items: CategoryItem[] }> {
  return { items: (await reads.categories()).map((row) => toCategory(row, lang)) };
}

import { notFound } from '@shop/shared';
import { imageUrlOf } from './images.ts';

/** Ids are PostgreSQL `int4`: a larger number can name nothing. */
export const MAX_ID = 2_147_483_647;

export const languages = ['en', 'ru'] as const;
export type Lang = (typeof languages)[number];

/** A product row with both languages; the answer picks one. */
export interface ProductRow {
  id: number;
  categoryId: number;
  nameEn: string;
  nameRu: string;
  descriptionEn: string;
  descriptionRu: string;
  priceCents: number;
  currency: string;
  stock: number;
  /** The photo's version (a hash of its bytes); null when the product has none. */
  imageVersion: string | null;
}

export interface CategoryRow {
  id: number;
  slug: string;
  nameEn: string;
  nameRu: string;
  productCount: number;
}

/** What a list read asks the store for. */
export interface ProductFilter {
  categoryId?: number;
  /** Raw user text; matched literally and case-insensitively in both languages. */
  q?: string;
  offset: number;
  limit: number;
}

/** What the store answers a list read with. */
export interface ProductPage {
  rows: ProductRow[];
  total: number;
  /** False when `categoryId` names no category (the answer is 404). */
  categoryFound: boolean;
}

/** The contract's product item; name and description in the requested language. */
export interface ProductItem {
  id: number;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stock: number;
  categoryId: number;
  /** The photo's path on the catalog, versioned; null when there is none. */
  imageUrl: string | null;
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

/** A list query with its defaults filled in. */
export interface ProductQuery {
  categoryId?: number;
  q?: string;
  page: number;
  limit: number;
}

export const toItem = (row: ProductRow, lang: Lang): ProductItem => ({
  id: row.id,
  name: lang === 'ru' ? row.nameRu : row.nameEn,
  description: lang === 'ru' ? row.descriptionRu : row.descriptionEn,
  priceCents: row.priceCents,
  currency: row.currency,
  stock: row.stock,
  categoryId: row.categoryId,
  imageUrl: imageUrlOf(row.id, row.imageVersion),
});

const toCategory = (row: CategoryRow, lang: Lang): CategoryItem => ({
  id: row.id,
  slug: row.slug,
  name: lang === 'ru' ? row.nameRu : row.nameEn,
  productCount: row.productCount,
});

/** The rows a page of `query` covers. */
export const filterOf = ({ categoryId, q, page, limit }: ProductQuery): ProductFilter => ({
  categoryId,
  q,
  offset: (page - 1) * limit,
  limit,
});

/** A page of products; 404 when the query names a category that does not exist. */
export function productList(result: ProductPage, query: ProductQuery, lang: Lang): ProductList {
  if (!result.categoryFound) throw notFound(`Category ${query.categoryId}`);
  const { page, limit } = query;
  return { items: result.rows.map((row) => toItem(row, lang)), page, limit, total: result.total };
}

/** The order service's price snapshot: the live products among `ids`, in id order; missing ones are left out. */
export function productsWithIds(
  rows: readonly ProductRow[],
  ids: readonly number[],
  lang: Lang,
): ProductList {
  return { items: rows.map((row) => toItem(row, lang)), page: 1, limit: ids.length, total: rows.length };
}

/** One product; 404 when there is none (or it was deleted). */
export function productWithId(row: ProductRow | null, id: number, lang: Lang): ProductItem {
  if (!row) throw notFound(`Product ${id}`);
  return toItem(row, lang);
}

export function categoryList(rows: readonly CategoryRow[], lang: Lang): { items: CategoryItem[] } {
  return { items: rows.map((row) => toCategory(row, lang)) };
}

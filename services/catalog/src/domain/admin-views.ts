import { notFound } from '@shop/shared';
import { type CategoryRow, type Lang, type ProductItem, type ProductRow, toItem } from './product-views.ts';

export interface Localized {
  en: string;
  ru: string;
}

/** A product row as the admin reads see it: hidden ones too. */
export interface AdminProductRow extends ProductRow {
  hidden: boolean;
}

export interface AdminCategoryRow extends CategoryRow {
  hidden: boolean;
  position: number;
}

/** The contract's item plus what a merchant edits: both languages and whether buyers see it. */
export interface AdminProductItem extends ProductItem {
  hidden: boolean;
  names: Localized;
  descriptions: Localized;
}

/** The public category plus both names, its place in the order and whether buyers see it. */
export interface AdminCategoryItem {
  id: number;
  slug: string;
  name: string;
  /** Products not deleted, hidden ones included. */
  productCount: number;
  hidden: boolean;
  position: number;
  names: Localized;
}

export const toAdminProduct = (row: AdminProductRow, lang: Lang): AdminProductItem => ({
  ...toItem(row, lang),
  hidden: row.hidden,
  names: { en: row.nameEn, ru: row.nameRu },
  descriptions: { en: row.descriptionEn, ru: row.descriptionRu },
});

export const toAdminCategory = (row: AdminCategoryRow, lang: Lang): AdminCategoryItem => ({
  id: row.id,
  slug: row.slug,
  name: lang === 'ru' ? row.nameRu : row.nameEn,
  productCount: row.productCount,
  hidden: row.hidden,
  position: row.position,
  names: { en: row.nameEn, ru: row.nameRu },
});

/** One product for the admin; 404 when there is none (or it was deleted). */
export function adminProductWithId(row: AdminProductRow | null, id: number, lang: Lang): AdminProductItem {
  if (!row) throw notFound(`Product ${id}`);
  return toAdminProduct(row, lang);
}

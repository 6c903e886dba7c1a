import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badRequest, conflict, notFound } from '@shop/shared';
import { Category, Product, ProductImage } from '../db/entities.ts';
import { MAX_ID, type ProductRow } from '../domain/product-views.ts';
import { invalidateOnCommit, type Invalidate } from './catalog-state.ts';
import { searchTextOf } from '../domain/text.ts';
import type { Localized } from '../domain/admin-views.ts';

export interface NewProduct {
  name: Localized;
  description: Localized;
  priceCents: number;
  currency: string;
  /** What can be bought: the units on hand (nothing is reserved yet). */
  stock: number;
  categoryId: number;
  hidden: boolean;
}

export interface ProductPatch {
  name?: Partial<Localized>;
  description?: Partial<Localized>;
  priceCents?: number;
  currency?: string;
  /** What can be bought from now on: the units on hand become this plus those reserved. */
  stock?: number;
  /** Units added to what can be bought (negative: taken away), against the stock as it is at commit. */
  addStock?: number;
  categoryId?: number;
  hidden?: boolean;
}

export interface AdminDeps {
  em: EntityManager;
  /** Called after the write has committed, with the cache version the write bumped to. */
  invalidate: Invalidate;
}

const toRow = (product: Product, imageVersion: string | null): ProductRow => ({
  id: product.id,
  categoryId: product.category.id,
  nameEn: product.nameEn,
  nameRu: product.nameRu,
  descriptionEn: product.descriptionEn,
  descriptionRu: product.descriptionRu,
  priceCents: product.priceCents,
  currency: product.currency,
  // What can be bought: units held for unpaid orders are not.
  stock: product.stock - product.reserved,
  imageVersion,
});

async function requireCategory(tx: EntityManager, id: number): Promise<Category> {
  const category = await tx.findOne(Category, { id });
  if (!category) throw badRequest('unknown_category', `Category ${id} does not exist`);
  return category;
}

/** Runs one admin write; see `invalidateOnCommit` for how the cache learns of it. */
export function write<T>(deps: AdminDeps, change: (tx: EntityManager) => Promise<T>): Promise<T> {
  return deps.em.fork().transactional(async (tx) => {
    const result = await change(tx);
    await invalidateOnCommit(tx, deps.invalidate);
    return result;
  });
}

export function createProduct(deps: AdminDeps, input: NewProduct): Promise<ProductRow> {
  return write(deps, async (tx) => {
    const category = await requireCategory(tx, input.categoryId);
    const texts = {
      nameEn: input.name.en,
      nameRu: input.name.ru,
      descriptionEn: input.description.en,
      descriptionRu: input.description.ru,
    };
    const product = tx.create(Product, {
      ...texts,
      category,
      searchText: searchTextOf(texts),
      priceCents: input.priceCents,
      currency: input.currency,
      stock: input.stock,
      hidden: input.hidden,
    });
    await tx.flush();
    return toRow(product, null);
  });
}

export function updateProduct(deps: AdminDeps, id: number, patch: ProductPatch): Promise<ProductRow> {
  return write(deps, async (tx) => {
    // Locked: two partial updates of different languages must not each rebuild searchText from a stale copy.
    const product = await tx.findOne(
      Product,
      { id, deletedAt: null },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!product) throw notFound(`Product ${id}`);
    if (patch.categoryId !== undefined) product.category = await requireCategory(tx, patch.categoryId);
    if (patch.name?.en !== undefined) product.nameEn = patch.name.en;
    if (patch.name?.ru !== undefined) product.nameRu = patch.name.ru;
    if (patch.description?.en !== undefined) product.descriptionEn = patch.description.en;
    if (patch.description?.ru !== undefined) product.descriptionRu = patch.description.ru;
    if (patch.priceCents !== undefined) product.priceCents = patch.priceCents;
    if (patch.currency !== undefined) product.currency = patch.currency;
    if (patch.hidden !== undefined) product.hidden = patch.hidden;
    // Under the row lock: no reservation moves `reserved` between this read and the commit.
    const available = product.stock - product.reserved;
    const stock = patch.addStock === undefined ? patch.stock : available + patch.addStock;
    if (stock !== undefined) {
      if (stock < 0)
        throw conflict('insufficient_stock', `Only ${available} can be taken away: that is all there is`);
      if (stock + product.reserved > MAX_ID)
        throw badRequest(
          'stock_too_large',
          `Stock on hand would exceed ${MAX_ID} with ${product.reserved} reserved`,
        );
      product.stock = stock + product.reserved;
    }
    product.searchText = searchTextOf(product);
    const image = await tx.findOne(ProductImage, { product: id }, { fields: ['version'] });
    return toRow(product, image?.version ?? null);
  });
}

/** Soft delete: the row stays for order history, every read stops showing it. */
export function deleteProduct(deps: AdminDeps, id: number): Promise<void> {
  return write(deps, async (tx) => {
    const affected = await tx.nativeUpdate(Product, { id, deletedAt: null }, { deletedAt: new Date() });
    if (affected === 0) throw notFound(`Product ${id}`);
  });
}

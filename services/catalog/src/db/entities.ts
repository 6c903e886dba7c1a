import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { messagingEntities } from '@shop/shared';
import type { StockLine } from '../domain/stock.ts';

export const Category = defineEntity({
  name: 'Category',
  tableName: 'categories',
  properties: {
    id: p.integer().primary().autoincrement(),
    slug: p.string().length(64).unique(),
    nameEn: p.string().length(200),
    nameRu: p.string().length(200),
    // Display order in the bot's menu; ties fall back to the id.
    position: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Category = InferEntity<typeof Category>;

export const Product = defineEntity({
  name: 'Product',
  tableName: 'products',
  properties: {
    id: p.integer().primary().autoincrement(),
    category: () => p.manyToOne(Category).index(),
    nameEn: p.string().length(200),
    nameRu: p.string().length(200),
    descriptionEn: p.text(),
    descriptionRu: p.text(),
    // Both languages' names and descriptions, lower-cased in JS: search works the same whatever
    // the database's collation (ILIKE under the C locale would not fold Cyrillic case).
    searchText: p.text().hidden(),
    priceCents: p.integer().check('price_cents > 0'),
    currency: p.string().length(3),
    stock: p.integer().check('stock >= 0'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    // Soft delete: order history keeps pointing at the row; every read filters it out.
    deletedAt: p.datetime().nullable(),
  },
});
export type Product = InferEntity<typeof Product>;

/**
 * A product's photo, as stored after resizing (`images/prepare-image.ts`); one per product.
 * `version` is a hash of `bytes`: the ETag, and the `?v=` of `imageUrl`, so a new photo has a new URL.
 */
export const ProductImage = defineEntity({
  name: 'ProductImage',
  tableName: 'product_images',
  properties: {
    product: () => p.oneToOne(Product).primary().deleteRule('cascade'),
    version: p.string().length(64),
    contentType: p.string().length(32),
    width: p.integer(),
    height: p.integer(),
    bytes: p.blob(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type ProductImage = InferEntity<typeof ProductImage>;

/**
 * One row (id 1): the catalog's cache generation. `version` is bumped in the same transaction as
 * every write, so PostgreSQL, not Redis, says which cached answers are current. `epoch` is new
 * for every database, so a recreated catalog never reads an old database's cache keys.
 */
export const CatalogState = defineEntity({
  name: 'CatalogState',
  tableName: 'catalog_state',
  properties: {
    id: p.integer().primary().autoincrement(false),
    epoch: p.uuid(),
    version: p.bigint('number'),
  },
});
export type CatalogState = InferEntity<typeof CatalogState>;

/**
 * What the catalog knows of an order, fed by `order.created` (the lines) and `payment.succeeded`
 * (`paidAt`: the payment carries no lines). Stock is taken once both have arrived, whichever came
 * first; `appliedAt` is set in that same transaction, so an order is never taken twice.
 */
export const StockOrder = defineEntity({
  name: 'StockOrder',
  tableName: 'stock_orders',
  properties: {
    orderId: p.integer().primary().autoincrement(false),
    lines: p.json<StockLine[]>().nullable(),
    paidAt: p.datetime().nullable(),
    appliedAt: p.datetime().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
  },
});
export type StockOrder = InferEntity<typeof StockOrder>;

export const entities = [Category, Product, ProductImage, CatalogState, StockOrder, ...messagingEntities];
